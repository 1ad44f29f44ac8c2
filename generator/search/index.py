"""The site's search index, built here so the browser only loads it: no index to build there.

Material's search worker builds a lunr index from every entry's text when a page loads: at
1,000 runbooks the first result came 5.4 s after someone arriving from an alert link typed.
This module turns the entries (Material's, for hand-written pages, and ours, for runbook pages:
`generator.search`) into an inverted index, which `assets/search-worker.js` answers queries
from, speaking the protocol of Material's search worker.

The index (JSON, in `config.runbookgen` of Material's `search_index.json`):

- `stop_words`: words left out of the index, and so of queries;
- `pages`: page URLs; `docs`: `[page, anchor, title, text]`, HTML, a page's own entry first;
- `terms`: every word, sorted, cut and lower-cased as the query will be (`splitter`);
- `postings`: for each term, its entries in order, each as `gap * 8 + fields`, where `gap` is
  the distance from the previous entry of the list and `fields` says where the word is:
  1 text, 2 title, 4 keywords.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.search.entries import Split

TEXT, TITLE, KEYWORDS = 1, 2, 4
FIELDS = (("title", TITLE), ("keywords", KEYWORDS), ("text", TEXT))
SNIPPET = 160
# Too common to tell entries apart (lunr's English list, less words that name things on call).
STOP_WORDS = frozenset(
    [
        "a",
        "able",
        "about",
        "across",
        "after",
        "all",
        "almost",
        "also",
        "am",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "dear",
        "did",
        "do",
        "does",
        "either",
        "else",
        "ever",
        "every",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "he",
        "her",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "least",
        "let",
        "like",
        "likely",
        "may",
        "me",
        "might",
        "most",
        "must",
        "my",
        "neither",
        "nor",
        "not",
        "of",
        "off",
        "often",
        "on",
        "only",
        "or",
        "other",
        "our",
        "own",
        "rather",
        "said",
        "say",
        "says",
        "she",
        "should",
        "since",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "tis",
        "to",
        "too",
        "twas",
        "us",
        "wants",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "yet",
        "you",
        "your",
    ]
)
_TAG = re.compile(r"<[^>]*>")


def words(markup: str, split: Split) -> list[str]:
    """The words of an entry's field (HTML) as the search matches them."""
    text = html.unescape(_TAG.sub(" ", markup))
    return [w for w in (w.lower() for w in split(text)) if w and w not in STOP_WORDS]


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
            for word in words(entry.get(name, ""), split):
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
        "version": 1,
        "stop_words": sorted(STOP_WORDS),  # the worker drops them from queries too
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
