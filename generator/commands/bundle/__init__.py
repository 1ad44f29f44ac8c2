"""`runbookgen bundle OUT.html`: the go-bag, one HTML file that holds a service's runbooks (or
all of them) for when the site, the VPN or the CDN is down. It opens from disk, on a phone too,
and loads nothing: no other file, no other host.

What is in it, and why so:

- Pages: each runbook's page is the site's HTML page (`render.html`'s layout and writer,
  `pages.py`), kept in a `<template>` until shown. One runbook is shown at a time, the one the
  URL names (`?_runbook=<id>`; the file alone shows the list): the site's scripts (fill.js,
  runbooks.js, incident.js) are written for one page, whose variables, placeholders and
  incident data they read once, so each runbook is a page load, as on the site. Anchors
  (`#procedure-id`), `?name=value` fill-in links and `?incident=` work as they do there.
- Styles: runbooks.css and a small stylesheet of the bundle's own (bundle.css, about 11 KB),
  which gives the Material custom properties and classes runbooks.css and the page use. Material's
  own CSS (137 KB, with 12 KB of palettes) styles Material's page frame (header, tabs, sidebars),
  which the bundle does not have.
- Scripts: ours as the site loads them (`render.assets.OWN_ASSETS`), and the bundle's own
  (bundle.js), which shows the runbook, gives every command a copy button (the site has
  Material's, which copies `data-copy`: runbooks.js fills it) and the search box.
- Search: the site's index (`generator.search`, the same entries, words and synonyms), answered
  by the site's search worker's own code (search-worker.js), run in the page instead of in a
  worker: a worker would be another file, and the index of a service's runbooks answers in
  milliseconds.
- Diagrams: the incident flow is laid out and drawn as SVG here (`flow.py`, about 400 bytes a
  node); mermaid, which the site draws it with, is 3.5 MB (980 KB gzipped, 1.3 MB as base64),
  over half of the 2 MB a service's go-bag may weigh, for a graph of a dozen boxes. A runbook's
  free diagrams (`diagrams:`, any kind mermaid draws) are shown as their Mermaid source, which
  reads well enough for the sequences and architectures they hold; docs/bundle.md says so.
  With `--mermaid`, and only if a runbook has such a diagram, mermaid is packed in gzipped
  and as base64 (1.3 MB), and unpacked with DecompressionStream, then run from a blob: URL,
  only on a page that shows one.
"""

from __future__ import annotations

from generator.commands.bundle.document import UnknownService, make_bundle, services

__all__ = ["UnknownService", "make_bundle", "services"]
