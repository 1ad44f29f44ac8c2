"""What a `runbook_url` points at, judged against the site the runbooks make: the one place
that knows page URLs, anchors and which runbook answers which alert, for `check` and `annotate`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from generator.core.loader import JsonPath
from generator.core.model import Alert, Procedure, Runbook, Site
from generator.render.escape import slug
from generator.render.layout import step_anchors
from generator.render.markdown import page_url

from .rules import Rule

# A Go template action in an annotation: `{{ $labels.namespace }}`, `{{ $externalURL }}`.
TEMPLATE = re.compile(r"\{\{.*?\}\}", re.S)
_HOLE = "\x00"  # stands for a template action while the URL is split into its parts


@dataclass(frozen=True)
class Declaration:
    """An alert as a runbook or one of its procedures declares it."""

    alert: Alert
    runbook: Runbook
    procedure: Procedure | None
    path: JsonPath  # of the declaration in the runbook's file

    def target(self) -> str:
        """The site-relative URL of what answers the alert: the page, or the procedure."""
        url = page_url(self.runbook.id)
        return f"{url}#{slug(self.procedure.id)}" if self.procedure else url

    def label(self) -> str:
        """`runbook` or `runbook#procedure`, as `runbookgen urls` names them."""
        return f"{self.runbook.id}#{self.procedure.id}" if self.procedure else self.runbook.id


class Verdict(Enum):
    """What a rule's `runbook_url` is, for the site."""

    OK = "ok"  # the right page (and anchor), or nothing to say
    MISSING = "missing"
    OFF_SITE = "off-site"  # another site's page (or a template we cannot place)
    NO_PAGE = "no-page"
    NO_ANCHOR = "no-anchor"
    OTHER_PAGE = "other-page"  # a real page, but not the one that declares the alert


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    declared: Declaration | None
    page: Runbook | None = None
    fragment: str = ""


def declarations(site: Site) -> Iterator[Declaration]:
    """Every alert the runbooks declare, in the order of their files."""
    for runbook in site.runbooks:
        for i, alert in enumerate(runbook.alerts):
            yield Declaration(alert, runbook, None, ("alerts", i))
        for p, procedure in enumerate(runbook.procedures):
            for i, alert in enumerate(procedure.alerts):
                yield Declaration(alert, runbook, procedure, ("procedures", p, "alerts", i))


class Links:
    """The site as `runbook_url`s see it: pages, their anchors, and who answers which alert."""

    def __init__(self, site: Site, site_url: str | None) -> None:
        self.base = _split_base(site_url) if site_url else None
        self.site_url = (site_url.rstrip("/") + "/") if site_url else ""
        self.declared: dict[str, list[Declaration]] = {}
        seen: set[tuple[str, frozenset[tuple[str, str]]]] = set()
        # An alert declared twice with the same labels (RB409) answers to neither: which
        # page it should open is for a person to decide.
        self.ambiguous: set[tuple[str, frozenset[tuple[str, str]]]] = set()
        for found in declarations(site):
            self.declared.setdefault(found.alert.name, []).append(found)
            key = (found.alert.name, frozenset(found.alert.labels.items()))
            (self.ambiguous if key in seen else seen).add(key)
        self.pages = {page_url(r.id): r for r in site.runbooks}
        self._anchors: dict[str, frozenset[str]] = {}
        self._patterns: dict[str, tuple[str, ...]] = {}

    def answering(self, rule: Rule) -> Declaration | None:
        """The declaration that answers *rule*: the most specific whose labels it has."""
        best: Declaration | None = None
        for found in self.declared.get(rule.name, ()):
            labels = found.alert.labels
            if all(rule.labels.get(k) == v for k, v in labels.items()) and (
                best is None or len(labels) > len(best.alert.labels)
            ):
                best = found
        if best and (best.alert.name, frozenset(best.alert.labels.items())) in self.ambiguous:
            return None
        return best

    def url_of(self, declared: Declaration) -> str:
        """The absolute URL a rule answered by *declared* should carry."""
        return self.site_url + declared.target()

    def anchors(self, runbook: Runbook) -> frozenset[str]:
        """The anchors a fragment may name on *runbook*'s page: its procedures, its phases and
        its steps with a heading (the layout's anchors)."""
        if runbook.id not in self._anchors:
            found = {slug(p.id) for p in runbook.procedures} | {slug(p.id) for p in runbook.phases}
            found |= set(step_anchors(runbook).values())
            self._anchors[runbook.id] = frozenset(found)
        return self._anchors[runbook.id]

    def judge(self, rule: Rule) -> Judgement:
        """What *rule*'s `runbook_url` points at."""
        declared = self.answering(rule)
        url = rule.url.text.strip() if rule.url else ""
        if not url:
            return Judgement(Verdict.MISSING, declared)
        if self.base is None:
            return Judgement(Verdict.OK, declared)
        place = self.on_site(url)
        if place is None:
            return Judgement(Verdict.OFF_SITE, declared)
        path, fragment = place
        page = self.page(path, declared)
        if page is None:
            return self.not_a_page(rule, path, declared)
        return self.on_page(page, fragment, declared)

    def on_site(self, url: str) -> tuple[str, str] | None:
        """The page path (after the site's URL) and fragment *url* names, templates as holes;
        None for another site: a host we cannot read (`{{ $externalURL }}`) is another site.
        The query is left out: it carries values for the page's variables."""
        assert self.base is not None
        host, prefix = self.base
        parts = urlsplit(TEMPLATE.sub(_HOLE, url))
        if parts.netloc.lower() != host or not (parts.path + "/").startswith(prefix):
            return None
        return parts.path[len(prefix) :], parts.fragment

    def page(self, path: str, declared: Declaration | None) -> Runbook | None:
        """The runbook page *path* names; with template holes, the declared runbook's page if
        the pattern fits it, or the only page it fits."""
        if _HOLE not in path:
            return self.pages.get(_as_page(path))
        if declared is not None and _fits(self.pattern(path), page_url(declared.runbook.id)):
            return declared.runbook  # the usual case: no need to try every page
        fits = self.fitting(path)
        return self.pages[fits[0]] if fits else None

    def pattern(self, path: str) -> re.Pattern[str]:
        """The page URLs a path with template holes stands for, as a regular expression."""
        parts = path.split(_HOLE)
        return re.compile("[^?#]*?".join(map(re.escape, parts)) + "(?:index\\.html)?/?")

    def fitting(self, path: str) -> tuple[str, ...]:
        """The page URLs a path with template holes can be (cached: rules share patterns)."""
        if path not in self._patterns:
            parts = path.split(_HOLE)
            pattern = self.pattern(path)
            # The literal text before the first hole and after the last, stripped of what a
            # page URL may leave out, sifts the pages before the pattern is tried (templated
            # rules are many, and each has its own pattern).
            head, tail = parts[0], parts[-1].removesuffix("index.html").rstrip("/")
            self._patterns[path] = tuple(
                url
                for url in self.pages
                if url.startswith(head) and url[:-1].endswith(tail) and _fits(pattern, url)
            )
        return self._patterns[path]

    def not_a_page(self, rule: Rule, path: str, declared: Declaration | None) -> Judgement:
        # kube-prometheus' runbookURL pattern ends with the lower-cased alert name: it names the
        # alert, not a page we could know, so it is not a broken link; only a runbook that
        # answers the alert makes it the wrong one.
        last = path.rstrip("/").rpartition("/")[2].removesuffix(".html")
        if last.lower() == rule.name.lower():
            return Judgement(Verdict.OTHER_PAGE if declared else Verdict.OK, declared)
        return Judgement(Verdict.NO_PAGE, declared)

    def on_page(self, page: Runbook, fragment: str, declared: Declaration | None) -> Judgement:
        if declared is not None and page is not declared.runbook:
            return Judgement(Verdict.OTHER_PAGE, declared, page, fragment)
        if not fragment or _HOLE in fragment:
            return Judgement(Verdict.OK, declared, page, fragment)
        if fragment not in self.anchors(page):
            return Judgement(Verdict.NO_ANCHOR, declared, page, fragment)
        procedure = declared.procedure if declared else None
        if (
            procedure is not None
            and fragment != slug(procedure.id)
            and fragment in self.procedure_anchors(page)
        ):
            return Judgement(Verdict.OTHER_PAGE, declared, page, fragment)
        return Judgement(Verdict.OK, declared, page, fragment)

    def procedure_anchors(self, page: Runbook) -> frozenset[str]:
        """The anchors of *page*'s procedures."""
        return frozenset(slug(p.id) for p in page.procedures)


def _fits(pattern: re.Pattern[str], url: str) -> bool:
    return bool(pattern.fullmatch(url) or pattern.fullmatch(url[:-1]))


def _split_base(site_url: str) -> tuple[str, str]:
    parts = urlsplit(site_url)
    return parts.netloc.lower(), parts.path.rstrip("/") + "/"


def _as_page(path: str) -> str:
    """A page path as `page_url` writes it: `index.html` and a missing last slash forgiven."""
    path = path.removesuffix("index.html")
    return path if path.endswith("/") else path + "/"
