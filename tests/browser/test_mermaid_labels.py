"""Any flow label gives a diagram that the shipped mermaid parses and renders, with the label's
text shown as written and nothing executed: checked by mermaid itself, in Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page

from generator.core.model import Flow, FlowEdge, FlowNode
from generator.render.escape import MERMAID_MARKER, MERMAID_MARKER_SHOWN
from generator.render.markdown import environment
from tests.browser.conftest import VENDOR, _require_vendor, _serve

pytestmark = pytest.mark.browser

HOSTILE = [
    'say "hi"',
    "a [bracket] {brace} (paren)",
    "A --> B",
    "x;y",
    "#35; hash #",
    "pipe | pipe",
    "emoji 🔥 ✅",
    "¶ß, mermaid's own marker",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ jinja }} {% raw %}",
    "end",
    "graph TD",
    "click n_a call alert(1)",
    "%% comment",
    "`back` ticks",
    "C:\\path\\to",
    "שלום עולם",
    "&amp; &lt;",
    "style n_a fill:#f00",
    "subgraph x",
]
# Every character mermaid or Markdown treat specially, among ordinary ones.
ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.sampled_from(
    list("\"'`#;|[]{}()<>&%-=:.,!?/\\*_~^$@ \t")
)


@pytest.fixture(scope="module")
def page(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    """A blank page that loads the vendored mermaid, nothing else."""
    _require_vendor()
    root = tmp_path_factory.mktemp("mermaid")
    shutil.copy(VENDOR / "mermaid" / "mermaid.min.js", root / "mermaid.min.js")
    (root / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><body><script src="mermaid.min.js"></script>'
        "<script>mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})</script>",
        encoding="utf-8",
    )
    for served in _serve(root):
        context = browser.new_context()
        page = context.new_page()
        page.goto(served.url)
        yield page
        context.close()


def flowchart(label: str) -> str:
    flow = Flow(
        nodes=(
            FlowNode("start", label, shape="start"),
            FlowNode("ask", label, shape="decision"),
            FlowNode("act", label),
        ),
        edges=(FlowEdge("start", "ask", label), FlowEdge("ask", "act", label)),
    )
    return environment().get_template("_flow.mmd.j2").render(flow=flow)


RENDER = """async (source) => {
    try {
        await mermaid.parse(source);
        const { svg } = await mermaid.render('d' + Math.random().toString(36).slice(2), source);
        const box = document.createElement('div');
        box.innerHTML = svg;
        const scripts = box.querySelectorAll('script, iframe, object, embed').length;
        const handlers = [...box.querySelectorAll('*')].flatMap(
            el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => a.name));
        const labels = [...box.querySelectorAll('.nodeLabel, .edgeLabel')].map(el => el.textContent);
        return { ok: true, labels, scripts, handlers };
    } catch (e) {
        return { ok: false, error: String(e && e.message || e) };
    }
}"""


def check(page: Page, label: str) -> None:
    source = flowchart(label)
    result = page.evaluate(RENDER, source)
    assert result["ok"], f"mermaid rejected {label!r}: {result.get('error')}\n{source}"
    assert result["scripts"] == 0 and result["handlers"] == [], result
    # As written, but for mermaid's own marker, which escape.mermaid_label keeps apart.
    shown = " ".join(label.split()).replace(MERMAID_MARKER, MERMAID_MARKER_SHOWN)
    labels = [" ".join(text.split()) for text in result["labels"]]
    if shown:  # three nodes and two edges (mermaid nests some label elements), as written
        assert len(labels) >= 5 and set(labels) == {shown}, (label, labels)


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_render_as_written(page: Page, label: str) -> None:
    check(page, label)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(ALPHABET, min_size=1, max_size=40))
def test_any_label_renders_as_written(page: Page, label: str) -> None:
    check(page, label)


def test_vendored_mermaid_is_the_pinned_one() -> None:
    makefile = (Path(__file__).parents[2] / "Makefile").read_text(encoding="utf-8")
    pinned = next(line.split("@")[1] for line in makefile.splitlines() if "mermaid@" in line)
    assert f'"{pinned.strip()}"' in (VENDOR / "mermaid" / "mermaid.min.js").read_text()
