"""The site-wide HTML pages are what Python-Markdown makes of the Markdown ones, byte for byte.

`render_site_wide_html` (generator/render_html.py) writes the home page, the severity levels,
the escalation page, the symptom index and the diagnostics catalogue as HTML straight from the
model. Each site here is rendered both ways: `render_site_wide`'s Markdown pages converted with
mkdocs.yml's own extensions (as tests/test_render_html.py does for runbook pages), and the HTML
pages; content, table of contents, anchors and front matter must be the same, with no
normalisation. The sites: those of the fixtures (the hostile ones that load included), the
shipped runbooks/, synthetic ones from bench/generate.py, an empty one and, property-based,
sites of random runbooks with hostile text in every field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import generate
from generator.core.loader import Document
from generator.core.model import Site, build_runbook
from generator.core.validate import validate
from generator.render.html import HtmlPage, render_site_wide_html
from generator.render.markdown import render_site_wide
from generator.run.project import load_site
from tests.conftest import TODAY
from tests.test_render_html import BENCH, ID, SOURCES, TEXT, _toc, converter, runbook_data


def assert_same_pages(site: Site) -> None:
    markdown_pages = render_site_wide(site, today=TODAY)
    html_pages = render_site_wide_html(site, today=TODAY)
    assert list(html_pages) == list(markdown_pages)
    for path, page in markdown_pages.items():
        html = html_pages[path]
        assert isinstance(html, HtmlPage), path
        assert_same_page(page, html)


def assert_same_page(page: str, html: HtmlPage) -> None:
    front, body = page.split("\n---\n", 1)
    md = converter()
    md.reset()
    want = md.convert(body)
    assert html.content == want
    assert _toc(html.toc) == _toc(md.toc_tokens)
    assert html.toc == md.toc_tokens  # the other keys too: html, data-toc-label
    assert html.anchors == set(ID.findall(want))
    assert html.front_matter() == front + "\n---\n"
    assert f"\ntitle: {html.title}\n" in front + "\n"


def _site(*paths: Path) -> Site:
    site = load_site(list(paths), jobs=1)
    errors = [str(d) for d in site.diagnostics if d.severity == "error"]
    assert not errors, errors
    return site


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_fixture_sites(source: str) -> None:
    site = _site(*SOURCES[source])
    assert site.runbooks
    assert_same_pages(site)


def test_bench_site(tmp_path: Path) -> None:
    generate(tmp_path / "runbooks", BENCH, seed=11)
    site = _site(tmp_path / "runbooks")
    assert len(site.runbooks) == BENCH
    assert_same_pages(site)


def test_empty_site() -> None:
    """No runbook, no scheme: tables without rows, which Python-Markdown gives an empty row."""
    assert_same_pages(Site())


def test_site_pages_grow_with_the_site() -> None:
    """The pages of many runbooks link to each (no table cut short): the home page and a small
    site's symptom index to every runbook, a service's page to each of its own, the escalation
    page to every service's page."""
    site = _site(*SOURCES["runbooks"])
    pages = render_site_wide_html(site, today=TODAY)
    with_symptoms = [r for r in site.runbooks if any(p.symptoms for p in r.procedures)]
    expected = {
        "index.md": [f'"runbooks/{r.id}.md' for r in site.runbooks],
        "symptoms.md": [f'"runbooks/{r.id}.md' for r in with_symptoms],
        "escalation.md": [f'"services/{s}.md"' for s in site.services()],
        **{
            f"services/{s}.md": [f'"../runbooks/{r.id}.md' for r in runbooks]
            for s, runbooks in site.services().items()
        },
    }
    assert len(expected) == 3 + 5
    for path, targets in expected.items():
        page = pages[path]
        assert isinstance(page, HtmlPage)
        assert targets
        assert [t for t in targets if t not in page.content] == []


def test_href_and_link_give_link_targets() -> None:
    site = _site(*SOURCES["valid"])
    seen: list[tuple[str, str]] = []

    def href(runbook_id: str, page: str) -> str:
        seen.append((runbook_id, page))
        return f"{runbook_id}/?a=1&b=2"

    def link(path: str, page: str) -> str:
        return path.replace(".md", "/")

    pages = render_site_wide_html(site, today=TODAY, href=href, link=link)
    services = {f"services/{s}.md" for s in site.services()}
    assert {page for _, page in seen} == {"index.md", "severity.md", "symptoms.md", *services}
    for path in ("index.md", "severity.md", "escalation.md", "symptoms.md", *services):
        page = pages[path]
        assert isinstance(page, HtmlPage)
        assert ".md" not in page.content
    index = pages["index.md"]
    assert isinstance(index, HtmlPage)
    assert '<a href="db-connections/?a=1&amp;b=2">' in index.content
    assert 'class="md-button" href="severity/"' in index.content
    symptoms = pages["symptoms.md"]
    assert isinstance(symptoms, HtmlPage)
    assert '<a href="db-connections/?a=1&amp;b=2#idle-connections">' in symptoms.content


# Property-based: sites of one to three random runbooks (tests/test_render_html.py's), each
# with services, contacts and escalation steps, hostile text in every field.


@st.composite
def site_runbook(draw: st.DrawFn, index: int) -> dict[str, Any]:
    data = draw(runbook_data())
    data["id"] = f"prop-{index}"
    data["services"] = draw(
        st.lists(st.sampled_from(["db", "api", "z-9"]), min_size=1, max_size=2, unique=True)
    )
    contact: dict[str, Any] = {"id": "team", "role": draw(TEXT)}
    if draw(st.booleans()):
        tier = TEXT.filter(lambda s: len(s) <= 60)  # the schema's bound for a tier
        contact |= {"tier": draw(tier), "notes": draw(TEXT)}
        values = st.lists(TEXT, min_size=1, max_size=2)
        contact["channels"] = [{"type": "slack", "value": v} for v in draw(values)]
    data["contacts"] = [contact]
    if draw(st.booleans()):
        step = {"after": "15 min", "action": draw(TEXT), "condition": draw(TEXT)}
        data["escalation"] = [step | ({"contact": "team"} if draw(st.booleans()) else {})]
    return data


@st.composite
def sites(draw: st.DrawFn) -> Site:
    runbooks = []
    for index in range(draw(st.integers(1, 3))):
        doc = Document(f"prop-{index}.yaml", draw(site_runbook(index)))
        assert not validate(doc), [str(d) for d in validate(doc)]
        runbooks.append(build_runbook(doc))
    return Site(runbooks=runbooks)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites())
def test_any_site_same_pages(site: Site) -> None:
    assert_same_pages(site)
