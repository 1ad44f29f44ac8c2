"""External URLs: checked for syntax only, never fetched (RB210)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Sequence
from urllib.parse import unquote, urlsplit

from generator.checks.common import SourceLines, at, strings
from generator.core.model import (
    Runbook,
)
from generator.core.prose import footnotes, fragments, links
from generator.core.references import page_ids, unknown_hint
from generator.diagnostics import Diagnostic


def check_urls(
    runbook: Runbook, *, files: SourceLines | None = None, texts: Sequence[str] | None = None
) -> Iterator[Diagnostic]:
    """The syntax of every external URL of the runbook's links, and of the links written in its
    texts (`[label](https://...)`); nothing is fetched. *texts*, every text of the file, spares
    the walk over the runbook when none holds a link."""
    for i, link in enumerate(runbook.links):
        problem = url_problem(link.url) if link.url else ""
        if problem:
            message = f"{link.url!r} is not a valid URL: {problem}"
            yield at(runbook.at("links", i, "url"), "RB210", message)
    if texts is not None and not any("](" in text or "[^" in text for text in texts):
        return
    files = files or SourceLines()
    ids: set[str] | None = None  # the page's, found when a text links to one
    for parent, key, text in strings(runbook):
        for url in links(text):
            problem = url_problem(url)
            if problem:
                where = files.locate(runbook.at(*parent, key), url)
                yield at(where, "RB210", f"link {url!r} is not a valid URL: {problem}")
        for note in footnotes(text):
            if note not in {x.id for x in runbook.footnotes}:
                where = files.locate(runbook.at(*parent, key), f"[^{note}]")
                hint = unknown_hint(note, [x.id for x in runbook.footnotes])
                message = f"footnote [^{note}] is not defined{hint}: add it under `footnotes:`"
                yield at(where, "RB205", message)
        for fragment in fragments(text):
            ids = page_ids(runbook) if ids is None else ids
            if fragment not in ids:
                where = files.locate(runbook.at(*parent, key), f"#{fragment}")
                message = f"link to '#{fragment}', which is no id of this page{unknown_hint(fragment, ids)}: use the id of a phase, procedure, step, section, diagram, template or decision table"
                yield at(where, "RB205", message)


def url_problem(url: str) -> str:
    """What is wrong with an http(s), mailto or tel URL; "" when nothing is."""
    scheme, _, rest = url.partition(":")
    if re.search(r"[\x00-\x20\x7f\"<>\\`]", url):
        return "it contains a space, a quote, <, > or a backslash: percent-encode it"
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return "'%' must start an escape like %20: write %25 for a percent sign"
    if scheme.lower() == "mailto":
        return _mailto_problem(rest)
    if scheme.lower() == "tel":
        return "" if sum(c.isdigit() for c in rest) >= 3 else "a phone number needs digits"
    return _http_problem(url)


def _mailto_problem(rest: str) -> str:
    addresses = unquote(rest.split("?", 1)[0]).split(",")
    if all(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s.]+", a) for a in addresses):
        return ""
    return "write an address like mailto:team@example.com"


def _http_problem(url: str) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        if "port" in str(exc).lower():
            return "the port must be a number from 0 to 65535"
        return f"malformed address ({exc})"
    host = parts.hostname or ""
    if not host:
        return "it has no host name: write https://host.example.com/..."
    return _host_problem(host)


_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


def _host_problem(host: str) -> str:
    if ":" in host:  # an IPv6 address; urlsplit checked its brackets
        return "" if _is_ip(host) else f"{host!r} is not an IPv6 address"
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"{host!r} is not a valid host name"
    labels = ascii_host.removesuffix(".").split(".")
    if all(label.isdigit() for label in labels):
        return "" if _is_ip(ascii_host) else f"{host!r} is not an IPv4 address"
    if len(ascii_host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        return f"{host!r} is not a valid host name"
    return ""


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
