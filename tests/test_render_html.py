"""The HTML page is what Python-Markdown makes of the Markdown page, byte for byte.

`render_inputs_html` (generator/render_html.py) writes a runbook page's HTML straight from the
model. Each runbook here is rendered both ways: its Markdown page (render.py) converted with
mkdocs.yml's own extensions, and the HTML page; content, table of contents, anchors and front
matter must be the same. The runbooks: every fixture that loads clean (hostile ones included),
the shipped runbooks/, synthetic ones from bench/generate.py, tests/fixtures/render/ (every
construct; lists Python-Markdown merges) and, property-based, runbooks of any shape the schema
allows (tests/strategies.py) with hostile text in every field.

One difference is made on purpose: Python-Markdown turns the tabs of a code block (a command,
an output, a template) into spaces and cuts its lines at every kind of line break; the HTML page
keeps the text as written, so a command copies exactly. The comparison gives the HTML page's code
blocks what Python-Markdown does to a fence (`as_fenced`), and `test_code_blocks_as_written`
checks the HTML page has every code text exactly. Nothing else is normalised. The property test
makes no text of whitespace only (the schema refuses it), and leaves out, by construction, inputs
on which the Markdown page itself goes wrong (the HTML page then has the text or the link as
written):

- line breaks other than \n with nothing but blanks between in a variable's example: a blank
  line ends the raw HTML block.

The front matter is read as the JSON it is (json pairs surrogates; MkDocs' YAML loader refuses
the escaped surrogate pair of a title with an emoji and leaves the front matter in the page).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from functools import cache
from html import unescape
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from bench.generate import generate
from generator.core.loader import Document
from generator.core.model import Runbook, Site, build_runbook
from generator.core.references import all_steps
from generator.core.validate import validate
from generator.render import escape
from generator.render.html import render_inputs_html
from generator.render.markdown import RunbookInputs, render_inputs, runbook_inputs
from generator.render.to_html import TOC_DEPTH
from generator.run.project import load_site
from tests.conftest import FIXTURES, ROOT, TODAY
from tests.strategies import checked_runbooks
from tests.test_injection import HOSTILE as INJECTION

SHARED = [FIXTURES / "valid" / "severity.yaml", FIXTURES / "valid" / "contacts.yaml"]
ID = re.compile(r'\sid="([^"]*)"')
BENCH = 40


@cache
def mkdocs_config() -> Any:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return load_config(str(ROOT / "mkdocs.yml"))


@cache
def converter() -> markdown.Markdown:
    """Python-Markdown with the extensions and settings of the project's mkdocs.yml."""
    config = mkdocs_config()
    return markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )


def assert_same_page(inputs: RunbookInputs) -> None:
    page = render_inputs(inputs)
    front, body = page.split("\n---\n", 1)
    md = converter()
    md.reset()
    want = md.convert(body)
    html = render_inputs_html(inputs)
    assert as_fenced(html.content) == want
    assert _toc(html.toc) == _toc(md.toc_tokens)
    assert html.toc == md.toc_tokens  # the other keys too: html, data-toc-label
    assert html.anchors == set(ID.findall(want))
    assert html.front_matter() == front + "\n---\n"
    meta = front.removeprefix("---\n")
    assert html.title == _decoded(meta, "title")
    assert html.description == _decoded(meta, "description")


CODE_BLOCK = re.compile(r'(<pre class="highlight"><code[^>]*>)(.*?)(</code></pre>)', re.S)


def as_fenced(content: str) -> str:
    """*content* with the text of each code block as Python-Markdown gives a fence's: its lines
    cut where str.splitlines cuts, STX and ETX dropped, tabs expanded to 4 columns, lines of
    spaces only emptied."""

    def fenced(block: re.Match[str]) -> str:
        lines = (unescape(block[2]) + "\n").splitlines()
        text = "\n".join(lines).replace("\x02", "").replace("\x03", "").expandtabs(4)
        return block[1] + escape.code_text(re.sub(r"^ +$", "", text, flags=re.M)) + block[3]

    return CODE_BLOCK.sub(fenced, content)


def code_texts(content: str) -> set[str]:
    """The text of every code block of a page, as a browser reads it."""
    return {unescape(block[2]) for block in CODE_BLOCK.finditer(content)}


def _toc(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"level": t["level"], "id": t["id"], "name": t["name"], "children": _toc(t["children"])}
        for t in tokens
    ]


def _decoded(front: str, key: str) -> str:
    """A front matter value: a JSON string (json reads a surrogate pair as one character)."""
    line = next(x for x in front.splitlines() if x.startswith(f"{key}: "))
    value = json.loads(line.removeprefix(f"{key}: "))
    assert isinstance(value, str)
    return value


def _site_inputs(*paths: Path) -> list[RunbookInputs]:
    site = load_site(list(paths), jobs=1)
    errors = [str(d) for d in site.diagnostics if d.severity == "error"]
    assert not errors, errors
    return [runbook_inputs(r, site, today=TODAY) for r in site.runbooks]


def _clean_hostile() -> list[Path]:
    """The hostile fixtures that load as runbooks with no error (injection.yaml and the like)."""
    found = []
    for path in sorted((FIXTURES / "hostile").glob("*.yaml")):
        site = load_site([path, *SHARED], jobs=1)
        if site.runbooks and not any(d.severity == "error" for d in site.diagnostics):
            found.append(path)
    return found


SOURCES = {
    "valid": [FIXTURES / "valid"],
    "render": [FIXTURES / "render", *SHARED],
    "checks": [FIXTURES / "checks" / "clean.yaml", *SHARED],
    "audience": [FIXTURES / "audience"],
    "runbooks": [ROOT / "runbooks"],
    "incident": [FIXTURES / "incident"],
    **{f"hostile/{p.name}": [p, *SHARED] for p in _clean_hostile()},
}


def test_injection_fixture_is_among_the_sources() -> None:
    assert "hostile/injection.yaml" in SOURCES


def test_toc_depth_is_mkdocs_yml_s() -> None:
    assert mkdocs_config().mdx_configs["toc"]["toc_depth"] == TOC_DEPTH


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_fixture_pages(source: str) -> None:
    inputs = _site_inputs(*SOURCES[source])
    assert inputs
    for one in inputs:
        assert_same_page(one)


@pytest.fixture(scope="module")
def bench_inputs(tmp_path_factory: pytest.TempPathFactory) -> list[RunbookInputs]:
    out = tmp_path_factory.mktemp("bench") / "runbooks"
    generate(out, BENCH, seed=11)
    return _site_inputs(out)


@pytest.mark.parametrize("index", range(BENCH))
def test_bench_page(bench_inputs: list[RunbookInputs], index: int) -> None:
    assert_same_page(bench_inputs[index])


CONSTRUCTS = {
    "a review overdue": '<p class="rb-overdue"><strong>Review overdue:</strong>',
    "variables": '<details class="rb-vars" data-runbook="constructs"',
    "where to go for what you see": '<div class="rb-goto">',
    "the incident script's data": '<script type="application/json" id="rb-incident">{',
    "a flow with links to phases": '<p>Go to: <a href="#fix">',
    # Adjacent lists of steps stay apart (a Markdown reader would join them).
    "lists kept apart": '</ul>\n<!-- -->\n\n<ul class="task-list">\n<li class="task-list-item">',
    "an ordered list after another list": "</ul>\n<!-- -->\n\n<ol>\n<li>Numbered</li>",
    "nested ordered items": "<li>Then, with numbered sub-items<ol>",
    "a table with a short row": "<td>short row</td>\n<td></td>",
    "a step note": '<div class="admonition note">',
    "a time budget paragraph": "<p><em>Time budget: 1 min</em></p>",
    "a precondition": "<p><strong>Before you run it:</strong>",
    "a rollback": "<p><strong>To undo:</strong>",
    "expected output": '<code class="language-text no-copy">',
    "a template used by a step": '<p id="status"><strong>Status update</strong></p>',
    "loose templates": '<h2 id="rb-templates">',
    "a decision table's See column": "<th>See</th>",
    "a URL link": '<a href="https://grafana.example.com/d/x?orgId=1&amp;var-a=b">',
    "a runbook link": '<a href="constructs-other.md#second">',
    "a document link": "(<code>./design notes.md</code>, not yet published)",
    "causes": "<p><strong>Common causes:</strong></p>",
    "diagnosis": "<p><strong>Diagnosis:</strong></p>",
    "resolution": "<p><strong>Resolution:</strong></p>",
    "history": '<h2 id="rb-history">',
    "a level 6 heading": '<h6 id="still-six">',
}


def test_constructs_fixture_covers_every_block() -> None:
    (inputs,) = [i for i in _site_inputs(*SOURCES["render"]) if i.runbook.id == "constructs"]
    content = render_inputs_html(inputs).content
    assert [what for what, html in CONSTRUCTS.items() if html not in content] == []


def test_overdue_and_review_states() -> None:
    (base,) = [i for i in _site_inputs(*SOURCES["render"]) if i.runbook.id == "constructs"]
    for today in (dt.date(2025, 1, 1), dt.date(2030, 1, 1)):
        site = load_site(SOURCES["render"], jobs=1)
        assert_same_page(runbook_inputs(base.runbook, site, today=today))


def test_href_gives_runbook_link_targets() -> None:
    (inputs,) = [i for i in _site_inputs(*SOURCES["render"]) if i.runbook.id == "constructs"]
    seen: list[tuple[str, str]] = []

    def href(runbook_id: str, page: str) -> str:
        seen.append((runbook_id, page))
        return f"../{runbook_id}/?a=1&b=2"

    content = render_inputs_html(inputs, href=href).content
    assert ("constructs-other", "runbooks/constructs.md") in seen
    assert '<a href="../constructs-other/?a=1&amp;b=2#second">Other runbook</a>' in content
    assert '<a href="../constructs-other/?a=1&amp;b=2">Plain runbook link</a>' in content
    assert ".md" not in content.replace("design notes.md", "")


# Property-based: runbooks of random shape, drawn from the schema (every optional property or
# not, steps nested, lists next to lists), with hostile text in every field.

# The injection tests' texts, and more that the two ways to HTML could treat differently.
HOSTILE = [
    *INJECTION,
    "`code` and ``two``",
    "&amp; &lt; &#60; & alone",
    "line one\n\nline two",
    "trailing  \nbreak",
    "\ttab\tin text",
    "🚀 emoji ✅ café",
    "\\ backslash \\_",
    "[ ] not a task",
    "1. numbered",
    "+ plus",
    "    indented",
    "a\u2028b\u2029c",
    "p1",
    "If when:",
    "!!! not an admonition line: it goes on",
    "!!! note",
    '  !!! danger "Run it"',
]


def _fair(text: str) -> bool:
    return text.strip() != ""


TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
    st.lists(
        st.sampled_from(["restart", "the", "pod", "API", "5", "min", "`x`"]), min_size=1, max_size=8
    ).map(" ".join),
).filter(_fair)
CODE = st.one_of(
    TEXT,
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
    ).filter(_fair),
    st.sampled_from(["a\r\nb\r", "x\n\n\n", "a\n  \n\tb\n", "```\n````", "\x02\x03 stx", "\x0cff"]),
)
# Line breaks (str.splitlines) with only blanks between: a blank line in a raw HTML block.
BREAK = r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"
BLANK_LINE = re.compile(rf"{BREAK}\s*{BREAK}")
URL = st.sampled_from(
    [
        "https://grafana.example.com/d/x?orgId=1&var-a=b",
        "https://example.com/a_b*c*/[x]!~",
        "https://example.com/%28x%29#frag",
        "mailto:team@example.com?subject=Hi",
        "tel:+1 (555) 0100",
        "https://example.com/&amp;&#60;",
        "https://kibana.example.com/app/discover#/?_g=(time:(from:'now-15m',to:now))",
        "https://example.com/search?q=\"a\"&x='y''z'",
        "https://example.com/a|b?c=|d|",
    ]
)


# Where the page shows the text as written (a code block, inline code), any text: CODE.
CODE_FIELDS = (
    "command.run",
    "command.output",
    "template.body",
    "link.document",
    "decisionRow.command",
)


def runbook_data() -> st.SearchStrategy[dict[str, Any]]:
    """Runbooks drawn from the schema (tests/strategies.py), their references resolved."""
    fields = {name: CODE for name in CODE_FIELDS}
    fields["link.url"] = URL
    fields["variable.example"] = TEXT.filter(lambda s: not BLANK_LINE.search(s))
    return checked_runbooks(text=TEXT, fields=fields)


def inputs_of(data: dict[str, Any]) -> RunbookInputs:
    doc = Document("prop.yaml", data)
    assert not validate(doc), [str(d) for d in validate(doc)]
    runbook: Runbook = build_runbook(doc)
    return runbook_inputs(runbook, Site(runbooks=[runbook]), today=TODAY)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runbook_data())
def test_any_runbook_same_page(data: dict[str, Any]) -> None:
    assert_same_page(inputs_of(data))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runbook_data())
def test_code_blocks_as_written(data: dict[str, Any]) -> None:
    """Every command, output and template body is on the HTML page as written: tabs, line
    breaks of every kind and lines of spaces included (one last line feed dropped; STX and ETX,
    which Python-Markdown drops from its input, are dropped from the whole page)."""
    inputs = inputs_of(data)
    runbook = inputs.runbook
    texts = [t.body for t in runbook.templates]
    for step in all_steps(runbook):
        texts += [text for c in step.commands for text in (c.run, c.output) if text]
    written = {
        (text[:-1] if text.endswith("\n") else text).replace("\x02", "").replace("\x03", "")
        for text in texts
    }
    assert code_texts(render_inputs_html(inputs).content) == written


# The HTML page's quicker filters (escape.py) give what the Markdown page's give, for any text:
# the property test above meets few texts for each branch of theirs.
ANY_TEXT = st.one_of(
    TEXT,
    st.text(max_size=40),
    st.text(st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\u2028-+.1aZ_`*#|<>&~\\[]{}"), max_size=12),
)


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT)
def test_fast_paths_give_the_same_strings(text: str) -> None:
    """`inline`'s two-part test for plain text and `slug`'s for a slug already, against the one
    regex and the substitution they stand in for; the cached `inline` is `inline`."""
    old_test = r"[\\`*_\[\]{}#|<>&~\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|^\s*(?:[-+]|\d+\.|!!!)"
    quick = escape._NOT_PLAIN_CHARACTER.search(text) or escape._BLOCK_MARKER.match(text)
    assert bool(quick) == bool(re.search(old_test, text))
    assert escape.inline_cached(text) == escape.inline(text)
    slugged = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-").lower() or "section"
    assert escape.slug(text) == slugged


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_inline_code_and_attributes_as_written(text: str) -> None:
    """A decision table's command or a document's path (inline code) and a variable's example
    or pattern (attributes) reach the browser as written, tabs included: no raw tab is left for
    Python-Markdown to turn into spaces."""
    code, attribute = escape.code_inline(text), escape.attr(text)
    assert "\t" not in code and "\t" not in attribute
    assert unescape(attribute) == text
    inner = code.removeprefix("<code>").removesuffix("</code>")
    assert unescape(inner.replace("<br>", "\n")) == "\n".join(text.splitlines() or [""])


def test_adjacent_steps_keep_their_own_lists() -> None:
    """Two steps' lists with nothing between them stay two lists on both pages: a Markdown
    reader joined them into one, and numbered the second step's items on from the first's."""
    steps = [
        {"items": ["Drain the node", "Cordon it"], "ordered": True},
        {"items": ["Restart the pod", "Watch it"], "ordered": True},
        {"checklist": ["Told the channel"]},
        {"items": ["A plain list"]},
    ]
    data = {
        "id": "lists",
        "title": "Lists",
        "owner": "x",
        "last_reviewed": "2026-01-01",
        "phases": [{"id": "act", "title": "Act", "steps": steps}],
    }
    inputs = inputs_of(data)
    assert_same_page(inputs)  # the Markdown page, converted, is the HTML page
    html = render_inputs_html(inputs).content
    assert html.count("<ol>") == 2 and "<li>\n<p>" not in html  # two lists, none loose
    assert html.count("\n<!-- -->\n") == 3
    markdown_page = render_inputs(inputs)
    assert "2. Cordon it\n\n<!-- -->\n\n1. Restart the pod" in markdown_page


def test_a_step_with_a_title_and_a_condition_shows_both() -> None:
    """Once, a step with `when` showed only "If …:", and its title was lost."""
    steps = [{"title": "Restart the API", "when": "the pod crashed", "time_budget": "2 min"}]
    data = {
        "id": "both",
        "title": "Both",
        "owner": "x",
        "last_reviewed": "2026-01-01",
        "phases": [{"id": "act", "title": "Act", "steps": steps}],
    }
    inputs = inputs_of(data)
    assert_same_page(inputs)
    html = render_inputs_html(inputs).content
    assert '<h3 id="restart-the-api">If the pod crashed: Restart the API (2 min)<a' in html


def test_links_and_emphasis_in_text() -> None:
    """A text may hold links to the web, mail or a phone, strong text and emphasis; any other
    address, and raw HTML, stay text."""
    text = (
        "See [Grafana](https://grafana.example.com/d/x?a=1&b=2), **now**, _then_ *soon*;"
        " not [this](../x.md), not [that](javascript:alert(1)), not <b>raw</b>, snake_case."
    )
    data = {
        "id": "prose",
        "title": "Prose",
        "owner": "x",
        "last_reviewed": "2026-01-01",
        "summary": text,
    }
    inputs = inputs_of(data)
    assert_same_page(inputs)
    html = render_inputs_html(inputs).content
    assert (
        '<p>See <a href="https://grafana.example.com/d/x?a=1&amp;b=2">Grafana</a>,'
        " <strong>now</strong>, <em>then</em> <em>soon</em>; not &#91;this&#93;(../x.md), not"
        " &#91;that&#93;(javascript:alert(1)), not &#60;b&#62;raw&#60;/b&#62;, snake&#95;case.</p>"
    ) in html
