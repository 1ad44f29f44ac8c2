"""`runbookgen alerts annotate`: write or correct the `runbook_url` of every alert a runbook
declares, in place. Only the characters of those values (or the lines added for them) change:
comments, order, quoting and indentation of the rest stay byte for byte. Each edit is checked
by reading the file again: if anything else would read differently, the file is left alone.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.core.model import Site
from generator.diagnostics import Diagnostic, make

from .check import read_all
from .links import Links, Verdict
from .rules import BREAK, Rule, RuleFile, parse_rules

# What annotate corrects for an alert a runbook declares: declaring it says which page it
# opens, so a URL to another site goes too (unless kept); a URL the check finds right, a
# template that fits the page included, is never touched.
_REWRITTEN = {
    Verdict.MISSING,
    Verdict.NO_PAGE,
    Verdict.NO_ANCHOR,
    Verdict.OTHER_PAGE,
    Verdict.OFF_SITE,
}


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with *text*."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Annotated:
    """One rule file: its text before and after, the alerts whose URL changed, and what
    could not be done."""

    path: str
    before: str
    after: str
    alerts: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    bom: bool = False

    def diff(self) -> str:
        """The change as a unified diff (empty when nothing changed)."""
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            self.path if self.path.startswith("/") else f"a/{self.path}",
            self.path if self.path.startswith("/") else f"b/{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)

    def data(self) -> bytes:
        """The new file's bytes (its byte-order mark kept)."""
        return (b"\xef\xbb\xbf" if self.bom else b"") + self.after.encode("utf-8")


def annotate(
    paths: Sequence[Path], site: Site, site_url: str, *, keep_other_sites: bool = False
) -> list[Annotated]:
    """What annotating the rule files under *paths* would make of each (nothing is written)."""
    links = Links(site, site_url)
    keep = {Verdict.OFF_SITE} if keep_other_sites else set()
    return [annotate_file(found, links, keep=keep) for found in read_all(paths)]


def annotate_file(found: RuleFile, links: Links, *, keep: set[Verdict] | None = None) -> Annotated:
    """One rule file with the `runbook_url` of each declared alert written or corrected
    (but those whose verdict is in *keep*)."""
    if not found.read:
        return Annotated(found.path, found.text, found.text, diagnostics=found.diagnostics)
    text = _Text(found.text, found.indent)
    wanted: list[tuple[Rule, str]] = []
    for rule in found.rules:
        judgement = links.judge(rule)
        verdict = judgement.verdict
        if judgement.declared is not None and verdict in _REWRITTEN - (keep or set()):
            wanted.append((rule, links.url_of(judgement.declared)))
    edits = sorted((text.edit(rule, url) for rule, url in wanted), key=lambda e: -e.start)
    after = found.text
    for edit in edits:
        after = after[: edit.start] + edit.text + after[edit.end :]
    problem = _verify(found, after, wanted)
    if problem is not None:
        return Annotated(found.path, found.text, found.text, (), (*found.diagnostics, problem))
    names = tuple(rule.name for rule, _ in wanted)
    return Annotated(found.path, found.text, after, names, found.diagnostics, found.bom)


class _Text:
    """A rule file's text by lines, to turn marks into offsets and write lines as it does."""

    def __init__(self, text: str, indent: int) -> None:
        self.text = text
        self.indent = indent
        self.starts = [0] + [m.end() for m in BREAK.finditer(text)]
        first = BREAK.search(text)
        self.newline = first.group() if first else "\n"

    def offset(self, mark: tuple[int, int]) -> int:
        return self.starts[mark[0]] + mark[1]

    def line(self, number: int) -> str:
        """Line *number* (0-based) without its line break."""
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
        return BREAK.sub("", self.text[self.starts[number] : end])

    def edit(self, rule: Rule, url: str) -> Edit:
        """The one change that gives *rule* the `runbook_url` *url*."""
        if rule.url is not None:
            return self.replace(rule, url)
        if rule.annotations is not None:
            return self.add_to(rule.annotations.key_col, rule.annotations.after, rule, url)
        if rule.annotations_key is not None:
            return self.fill_annotations(rule, url)
        return self.add_annotations(rule, url)

    def replace(self, rule: Rule, url: str) -> Edit:
        value = rule.url
        assert value is not None
        start, end = self.offset(value.start), self.offset(value.end)
        if value.style not in ("|", ">"):
            return Edit(start, end, quoted(url, value.style))
        # A block scalar (`>-` and the URL on the next line): keep its header and indentation.
        header = self.line(value.start[0])[value.start[1] :]
        stop = value.end[0] + (1 if value.end[1] else 0)  # an end at column 0 is the next line's
        content = [n for n in range(value.start[0] + 1, stop) if self.line(n).strip()]
        if not content:
            return Edit(start, end, quoted(url, ""))
        first, last = content[0], content[-1]
        indent = self.line(first)[: len(self.line(first)) - len(self.line(first).lstrip())]
        end = self.starts[last] + len(self.line(last))
        return Edit(start, end, f"{header}{self.newline}{indent}{url}")

    def add_to(self, key_col: int | None, after: tuple[int, int], rule: Rule, url: str) -> Edit:
        """`runbook_url: URL` as one more key of an `annotations:` mapping."""
        entry = f"runbook_url: {quoted(url, '')}"
        if key_col is None:  # flow style: `{summary: ...}`
            assert rule.annotations is not None
            at = self.offset(after) - (1 if rule.annotations.empty else 0)
            return Edit(at, at, entry if rule.annotations.empty else f", {entry}")
        return self.insert_after(after, [" " * key_col + entry])

    def fill_annotations(self, rule: Rule, url: str) -> Edit:
        """`annotations:` with no mapping (empty, or `null`): give it one."""
        value = rule.annotations_value
        if value is not None and value.start != value.end:
            start, end = self.offset(value.start), self.offset(value.end)
            return Edit(start, end, f"{{runbook_url: {quoted(url, '')}}}")
        assert rule.annotations_key is not None
        col = rule.annotations_key[1] + self.indent
        return self.insert_after(
            rule.annotations_key, [f"{' ' * col}runbook_url: {quoted(url, '')}"]
        )

    def add_annotations(self, rule: Rule, url: str) -> Edit:
        """A new `annotations:` mapping at the end of the rule."""
        entry = f"runbook_url: {quoted(url, '')}"
        col = rule.body.key_col
        if col is None:  # flow style: `- {alert: X, expr: ...}`
            at = self.offset(rule.body.after)
            return Edit(at, at, f", annotations: {{{entry}}}")
        lines = [f"{' ' * col}annotations:", f"{' ' * (col + self.indent)}{entry}"]
        return self.insert_after(rule.body.after, lines)

    def insert_after(self, after: tuple[int, int], lines: list[str]) -> Edit:
        """New lines after the line where a value ends (a block scalar's end is the start of
        the next line; blank lines after it stay after the new ones)."""
        number = after[0] - 1 if after[1] == 0 else after[0]
        while number > 0 and not self.line(number).strip():
            number -= 1
        block = "".join(line + self.newline for line in lines)
        if number + 1 < len(self.starts):
            at = self.starts[number + 1]
            return Edit(at, at, block)
        return Edit(len(self.text), len(self.text), self.newline + block.removesuffix(self.newline))


def quoted(url: str, style: str) -> str:
    """*url* as a YAML scalar in *style* ('' plain when YAML reads it back as it is)."""
    if style == "'":
        return "'" + url.replace("'", "''") + "'"
    if style == '"' or not _plain_ok(url):
        return json.dumps(url, ensure_ascii=False)
    return url


def _plain_ok(url: str) -> bool:
    try:
        return bool(yaml.safe_load(f"k: {url}") == {"k": url})
    except yaml.YAMLError:
        return False


def _verify(found: RuleFile, after: str, wanted: list[tuple[Rule, str]]) -> Diagnostic | None:
    """None if *after* reads as the file did with only the wanted URLs set; else why not."""
    if not wanted:
        return None
    try:
        expected = list(yaml.load_all(found.text, Loader=yaml.CSafeLoader))
        expected = copy.deepcopy(expected)
        for rule, url in wanted:
            mapping = _at(expected[rule.doc], rule.route)
            if not isinstance(mapping.get("annotations"), dict):
                mapping["annotations"] = {}
            mapping["annotations"]["runbook_url"] = url
        got = list(yaml.load_all(after, Loader=yaml.CSafeLoader))
        reread = parse_rules(after, found.path)
    except (yaml.YAMLError, RecursionError, LookupError, TypeError) as exc:
        got, expected, reread = [exc], [], found
    if got == expected and not reread.diagnostics:
        return None
    first, url = wanted[0]
    message = (
        f"the runbook_url of {', '.join(r.name for r, _ in wanted)} cannot be written without"
        f" changing something else in this file: write it by hand ({first.name}: {url})"
    )
    return make(found.path, first.line, first.col, "RB411", message)


def _at(data: Any, route: tuple[str | int, ...]) -> Any:
    for part in route:
        data = data[part]
    return data
