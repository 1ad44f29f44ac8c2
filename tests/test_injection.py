"""No injection: any text in any field reaches the HTML as text, and adds no element of its own.

Property-based: hypothesis puts arbitrary text into every kind of field, the page is
rendered and converted with the same Markdown extensions as mkdocs.yml, and the HTML
is parsed to check what came out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from html import unescape as html_unescape
from html.parser import HTMLParser
from typing import Any

import markdown
import markupsafe
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data
from mkdocs.utils.yaml import yaml_load

from generator.core.loader import Document
from generator.core.model import Site, build_runbook
from generator.render.markdown import render_runbook
from tests.conftest import ROOT

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "```\nfence\n```",
    "[click](javascript:alert(1))",
    "[the dashboard](https://grafana.example.com/d/x?a=1&b=2) and [us](mailto:a@b.example)",
    '[x](https://a.example/"onmouseover=alert(1)) **bold _and_ em**',
    "# heading",
    "{{ 7 * 7 }} {% if x %}",
    '--> ; # | [x] {y} (z) "q"',
    "- list\n1. item",
    "| a | b |",
    "{ #id .class onclick=x }",
    "&amp; &lt; &#60;",
    "*em* __strong__ ~~del~~",
    "🚀 emoji ✅",
    "\\ backslash",
    "<!-- comment -->",
    "]]> <![CDATA[",
    "!!! note",
    '!!! danger "Run rm -rf / now"',
    "  !!!tip",
]
TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="`"),
        min_size=1,
        max_size=40,
    ),
).filter(lambda s: s.strip() != "")


def md_converter() -> markdown.Markdown:
    config = yaml_load((ROOT / "mkdocs.yml").read_text())
    names: list[str] = []
    options: dict[str, Any] = {}
    for ext in config["markdown_extensions"]:
        name, opts = next(iter(ext.items())) if isinstance(ext, dict) else (ext, {})
        names.append(name)
        options[name] = opts or {}
    return markdown.Markdown(extensions=names, extension_configs=options)


CONVERTER = md_converter()


class Collector(HTMLParser):
    """Tags, attributes and text of an HTML fragment (Pygments' spans inside <pre> not counted)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.in_pre and tag != "br":  # <br> is how we keep the text's own line breaks
            self.tags[tag] += 1
        self.in_pre += tag == "pre"
        self.attrs.extend((k, v or "") for k, v in attrs)

    def handle_endtag(self, tag: str) -> None:
        self.in_pre -= tag == "pre"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def runbook_with(text: str) -> dict[str, Any]:
    return {
        "id": "prop",
        "title": text,
        "summary": text,
        "owner": "team",
        "last_reviewed": "2026-01-01",
        "contacts": [{"id": "team", "role": text, "channels": [{"type": "other", "value": text}]}],
        "escalation": [{"after": text, "action": text}],
        "variables": [{"name": "v", "description": text, "example": text}],
        "flow": {
            "nodes": [{"id": "a", "label": text}, {"id": "b", "label": "end"}],
            "edges": [{"from": "a", "to": "b", "label": text}],
        },
        "phases": [
            {
                "id": "p",
                "title": text,
                "time_budget": text,
                "steps": [
                    {
                        "title": text,
                        "text": text,
                        "items": [text],
                        "checklist": [text],
                        "note": text,
                        "table": {"columns": [text], "rows": [[text]]},
                    }
                ],
            }
        ],
        "decision_tables": [
            {
                "id": "d",
                "title": text,
                "rows": [{"symptom": text, "check": text, "command": text, "action": text}],
            }
        ],
        "procedures": [
            {
                "id": "q",
                "title": text,
                "symptoms": [text],
                "causes": [text],
                "resolution": [
                    {
                        "when": text,
                        "commands": [
                            {
                                "run": text,
                                "description": text,
                                "destructive": {"reason": text, "rollback": text},
                            }
                        ],
                    }
                ],
            }
        ],
        "templates": [{"id": "t", "title": text, "body": text}],
        "links": [{"id": "l", "title": text, "document": text, "unpublished": True}],
    }


def render_html(text: str) -> str:
    doc = Document("prop.yaml", runbook_with(text))
    runbook = build_runbook(doc)
    page = render_runbook(runbook, Site(runbooks=[runbook]), today=dt.date(2026, 11, 23))
    body = page.split("\n---\n", 1)[1]  # drop the front matter MkDocs would strip
    CONVERTER.reset()
    return CONVERTER.convert(body)


BASELINE = Collector()
BASELINE.feed(render_html("plain words"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_stays_text(text: str) -> None:
    """Any text reaches the page as text: it adds no element but the safe subset of Markdown
    (a link to the web, mail or a phone, strong text, emphasis), and every letter of it shows."""
    html = render_html(text)
    seen = Collector()
    seen.feed(html)
    added = seen.tags - BASELINE.tags
    assert set(added) <= SAFE_SUBSET, "the text added elements"
    assert not BASELINE.tags - seen.tags, "the text removed elements"
    for name, value in seen.attrs:
        assert not name.startswith("on"), name
        assert not value.lower().lstrip().startswith("javascript:"), value
        if name == "href" and added["a"]:
            assert re.match(r"(?i)(https?://|mailto:|tel:|#|\.\./|[a-z0-9-]+\.md)", value), value
    words = " ".join(seen.text)
    flat = " ".join(text.split())
    if not added:
        assert flat in " ".join(words.split()) or text in words, (
            "the text does not appear as written"
        )
    else:  # markup read: every letter and digit of the text shows, in order (a link's address aside)
        hrefs = {html_unescape(v) for k, v in seen.attrs if k == "href"}
        shown = re.sub(r"\]\(([^()\s]*)\)", lambda m: "]" if m[1] in hrefs else m[0], text)
        letters = re.sub(r"[\W_]+", "", shown)
        assert letters in re.sub(r"[\W_]+", "", words), "the text does not appear"


# What a text may add to the page: the safe subset of Markdown (and a footnote's raised mark).
SAFE_SUBSET = {"a", "em", "strong", "sup"}


def test_footnote_marks_and_page_links_stay_in_the_subset() -> None:
    html = render_html("See [the step](#restart-pods)[^1] and [^x]] [^](#) [^a b].")
    seen = Collector()
    seen.feed(html)
    assert set(seen.tags - BASELINE.tags) <= SAFE_SUBSET
    assert (
        '<a href="#restart-pods">the step</a><sup class="rb-fn"><a href="#fn-1">1</a></sup>' in html
    )


def test_hostile_title_in_front_matter_is_escaped() -> None:
    doc = Document("t.yaml", runbook_with("</title><script>alert(1)</script>"))
    runbook = build_runbook(doc)
    page = render_runbook(runbook, Site(runbooks=[runbook]), today=dt.date(2026, 11, 23))
    front = yaml.safe_load(page.split("---", 2)[1])
    assert (
        front["title"] == "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    )  # Material prints it raw


@pytest.mark.parametrize(
    "title",
    [
        "🔥 Database down",  # JSON would write a surrogate pair, which YAML refuses
        'Quotes " and \\ backslash',
        "Line\u2028separator, NEL\x85, BOM\ufeff, DEL\x7f, bell\x07, tab\t",
        "Ünïcödé — dashes “quoted”",
    ],
)
def test_any_title_survives_the_front_matter(title: str) -> None:
    doc = Document("t.yaml", runbook_with("x") | {"title": title})
    runbook = build_runbook(doc)
    page = render_runbook(runbook, Site(runbooks=[runbook]), today=dt.date(2026, 11, 23))
    front = page.split("\n---\n", 1)[0]
    assert "\n" not in front.removeprefix("---\n").split("\ndescription:")[0]
    _, meta = get_data(page)  # how MkDocs reads it
    assert meta["title"] == str(markupsafe.escape(title))
