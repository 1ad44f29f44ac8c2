"""The site's search index, built here so the browser only loads it: no index to build there.

Material's search worker builds a lunr index from every entry's text when a page loads: at
1,000 runbooks the first result came 5.4 s after someone arriving from an alert link typed.
This module turns the entries (Material's, for hand-written pages, and ours, for runbook pages:
`generator.search`) into an inverted index, which `assets/search-worker.js` answers queries
from, speaking the protocol of Material's search worker.

The index (JSON, in `config.runbookgen` of Material's `search_index.json`):

- `stop_words`: words left out of the index, and so of queries;
- `analysis`: the rules that give a word its key (stem, synonym group) and find phrases
  (`generator.search.analysis`), which the worker applies to queries;
- `pages`: page URLs; `docs`: `[page, anchor, title, text]`, HTML, a page's own entry first;
- `terms`: every word, sorted, cut and lower-cased as the query will be (`splitter`), and the
  derived terms: a space, then the key of a phrase an entry holds (" rollback" for "rolled
  back"), which no typed word can match;
- `postings`: for each term, its entries in order, each as `gap * 8 + fields`, where `gap` is
  the distance from the previous entry of the list and `fields` says where the word is:
  1 text, 2 title, 4 keywords.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.search.analysis import (
    DERIVED,
    STOP_WORDS,
    Split,
    analysis,
    compounds,
    phrase_keys,
    pieces,
)

TEXT, TITLE, KEYWORDS = 1, 2, 4
FIELDS = (("title", TITLE), ("keywords", KEYWORDS), ("text", TEXT))
SNIPPET = 160
_TAG = re.compile(r"<[^>]*>")


def terms(entry: Mapping[str, str], name: str, split: Split) -> list[str]:
    """The terms of the field *name* of *entry* (HTML), as the search matches them: its words
    (those cut inside also whole: `compounds`) and the derived terms of its phrases (keywords
    come with theirs, found before their words were cut: `phrases`)."""
    text = html.unescape(_TAG.sub(" ", entry.get(name, "")))
    found = pieces(text, split)
    words = [w for w in found + compounds(text, split) if w not in STOP_WORDS]
    if name == "keywords":
        return words + [DERIVED + k for k in entry.get("phrases", "").split()]
    return words + [DERIVED + k for _, _, k in phrase_keys(found)]


def snippet(markup: str) -> str:
    """A field's text, without markup, on one line, shortened: what a result shows."""
    text = " ".join(html.unescape(_TAG.sub(" ", markup)).split())
    if len(text) > SNIPPET:
        text = text[: SNIPPET - 1].rstrip() + "…"
    return html.escape(text, quote=False)


def build_index(entries: Iterable[Mapping[str, str]], split: Split) -> dict[str, object]:
    """The index of *entries* (Material's search entries: location, title, text, keywords)."""
    return join([index_part(entries, split)])


@dataclass(frozen=True)
class Part:
    """The index of some of the entries, its numbers its own: parts made apart (in another
    process) are joined in order by `join`, as if made in one go."""

    pages: list[str]
    docs: list[tuple[int, str, str, str]]  # page number, anchor, title, text
    postings: dict[str, list[int]]  # term → its entries, encoded as in the index
    last: dict[str, int]  # term → the number of its last entry


def index_part(entries: Iterable[Mapping[str, str]], split: Split) -> Part:
    """The part of the index that *entries* make (see `build_index`)."""
    pages: dict[str, int] = {}
    docs: list[tuple[int, str, str, str]] = []
    where: dict[str, dict[int, int]] = {}
    for number, entry in enumerate(entries):
        page, _, anchor = entry["location"].partition("#")
        title, text = entry.get("title", ""), snippet(entry.get("text", ""))
        docs.append((pages.setdefault(page, len(pages)), anchor, title, text))
        for name, flag in FIELDS:
            for word in terms(entry, name, split):
                found = where.setdefault(word, {})
                found[number] = found.get(number, 0) | flag
    postings = {term: _encode(found) for term, found in where.items()}
    return Part(list(pages), docs, postings, {term: max(found) for term, found in where.items()})


def join(parts: Iterable[Part]) -> dict[str, object]:
    """The index of the entries of *parts*, in order."""
    pages: dict[str, int] = {}
    docs: list[list[object]] = []
    postings: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for part in parts:
        first = len(docs)
        numbers = [pages.setdefault(page, len(pages)) for page in part.pages]
        docs.extend([numbers[page], *rest] for page, *rest in part.docs)
        for term, encoded in part.postings.items():
            # Only the first gap changes: from the term's last entry in earlier parts.
            out = postings.setdefault(term, [])
            out.append(encoded[0] + (first - last.get(term, 0)) * 8)
            out.extend(encoded[1:])
            last[term] = first + part.last[term]
    terms = sorted(postings)
    return {
        "version": 2,
        "stop_words": sorted(STOP_WORDS),  # the worker drops them from queries too
        "analysis": analysis(),
        "pages": list(pages),
        "docs": docs,
        "terms": terms,
        "postings": [postings[term] for term in terms],
    }


def _encode(found: dict[int, int]) -> list[int]:
    out, previous = [], 0
    for number in sorted(found):
        out.append((number - previous) * 8 + found[number])
        previous = number
    return out
