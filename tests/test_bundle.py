"""`runbookgen bundle`: the go-bag, one HTML file that needs nothing else (the browser's half is
tests/browser/test_bundle.py)."""

from __future__ import annotations

import base64
import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.commands.bundle import services
from generator.commands.bundle.document import SEPARATOR
from generator.commands.bundle.flow import place, ranks
from generator.core.model import Flow, FlowEdge, FlowNode
from generator.render.escape import script_text
from generator.run.project import load_site
from tests.conftest import FIXTURES, ROOT

LIMIT = 2_000_000  # bytes a service's go-bag may weigh
SHARED = [FIXTURES / "valid" / "severity.yaml", FIXTURES / "valid" / "contacts.yaml"]
TODAY = ["--today", "2026-11-23"]


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    return tags


def bundle(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """Run `runbookgen bundle` into tmp_path/out.html: exit code, output, the file ("" if none)."""
    out = tmp_path / "out.html"
    result = CliRunner().invoke(main, ["bundle", *TODAY, str(out), *args])
    return result.exit_code, result.output, out.read_text("utf-8") if out.exists() else ""


def runbook_ids(html: str) -> list[str]:
    return re.findall(r'<template id="rb-b-runbook-([^"]+)"', html)


def test_bundle_of_every_runbook(tmp_path: Path) -> None:
    code, output, html = bundle(tmp_path, "runbooks")
    assert code == 0, output
    assert output.startswith(f"wrote {tmp_path / 'out.html'} (")
    site = load_site([ROOT / "runbooks"])
    assert sorted(runbook_ids(html)) == sorted(r.id for r in site.runbooks)
    assert html.startswith("<!doctype html>")


def test_service_filter(tmp_path: Path) -> None:
    code, output, html = bundle(tmp_path, "--service", "inflow", "runbooks")
    assert code == 0, output
    assert runbook_ids(html) == ["inflow-incident-response"]
    assert "<title>Runbooks: inflow</title>" in html


def test_service_covered_by_several_runbooks(tmp_path: Path) -> None:
    code, output, html = bundle(tmp_path, "--service", "postgres", "runbooks")
    assert code == 0, output
    assert sorted(runbook_ids(html)) == ["compose-incident-response", "hafnium-incident-response"]


def test_unknown_service_is_a_usage_error(tmp_path: Path) -> None:
    code, output, html = bundle(tmp_path, "--service", "nope", "runbooks")
    assert code == 2
    assert "Error: no runbook covers the service 'nope' (services: ai-inference, " in output
    assert html == ""


def test_runbooks_with_errors_write_nothing(tmp_path: Path) -> None:
    broken = FIXTURES / "invalid" / sorted(p.name for p in (FIXTURES / "invalid").glob("*.yaml"))[0]
    code, output, html = bundle(tmp_path, str(broken), *map(str, SHARED))
    assert code == 1
    assert " error RB" in output
    assert html == ""


def _every_service() -> list[tuple[Path, str]]:
    return [
        (folder, service)
        for folder in (ROOT / "runbooks", FIXTURES / "valid")
        for service in services(load_site([folder]))
    ]


@pytest.mark.parametrize(
    ("folder", "service"), _every_service(), ids=lambda x: x if isinstance(x, str) else x.name
)
def test_a_service_bundle_is_under_2_mb(tmp_path: Path, folder: Path, service: str) -> None:
    code, output, html = bundle(tmp_path, "--service", service, str(folder))
    assert code == 0, output
    assert len(html.encode("utf-8")) < LIMIT


def test_nothing_loads_from_elsewhere(tmp_path: Path) -> None:
    """No script, stylesheet or image names another file or host: the file holds them all."""
    sources = [FIXTURES / "render", *SHARED]
    code, output, html = bundle(tmp_path, *map(str, sources))
    assert code == 0, output
    tags = parsed(html)
    loaded = [
        (tag, attrs.get(name) or "")
        for tag, attrs in tags.tags
        if tag in ("script", "link", "img", "iframe", "source", "video", "audio", "embed")
        for name in ("src", "href", "srcset", "data")
        if name in attrs
    ]
    assert [x for x in loaded if not x[1].startswith("data:")] == []
    assert sum(tag == "img" for tag, _ in tags.tags) == 3  # the fixture's images, as data: URLs
    assert not [tag for tag, _ in tags.tags if tag == "link"]


def _hostile_project(tmp_path: Path) -> Path:
    data = yaml.safe_load((FIXTURES / "hostile" / "injection.yaml").read_text("utf-8"))
    data["title"] = "</script></template><script>alert('title')</script>"
    data["flow"]["nodes"][1]["label"] = "</text></svg><b>alert('node')</b>"
    folder = tmp_path / "runbooks"
    folder.mkdir()
    (folder / "injection.yaml").write_text(yaml.safe_dump(data), "utf-8")
    for path in SHARED:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    """A runbook's markup ends no element and starts none: the only scripts are ours."""
    code, output, html = bundle(tmp_path, str(_hostile_project(tmp_path)))
    assert code == 0, output
    tags = parsed(html)
    scripts = [attrs for tag, attrs in tags.tags if tag == "script"]
    data = [a.get("id") for a in scripts if a.get("type") == "application/json"]
    assert data == ["rb-incident", "rb-b-index"]  # the runbook's incident data, the index
    # The search, the bundle's script and the site's three; none holds the runbook's text.
    code_texts = [text for a, text in zip(scripts, tags.scripts, strict=True) if not a]
    assert len(code_texts) == 5
    assert not [text for text in code_texts if "alert(" in text]
    assert not [tag for tag, attrs in tags.tags if tag == "b" or "onerror" in attrs]
    assert not [tag for tag, attrs in tags.tags if tag == "img"]
    assert "&lt;/script&gt;&lt;/template&gt;&lt;script&gt;alert(" in html
    # The index holds the title (as the search shows it, HTML) as JSON, no `<` as itself.
    assert "\\u0026lt;/script\\u0026gt;\\u0026lt;/template" in tags.scripts[1]
    assert "<" not in tags.scripts[0] + tags.scripts[1]
    assert html.count("</template>") == html.count("<template ")


def test_script_text_refuses_what_ends_a_script() -> None:
    assert script_text("var a = 1 < 2;") == "var a = 1 < 2;"
    for bad in ("x = '</script>'", "x = '</SCRIPT '", "<!-- x"):
        with pytest.raises(ValueError, match="cannot be written inline"):
            script_text(bad)


def test_separator_is_the_sites() -> None:
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    line = next(x for x in config.splitlines() if x.strip().startswith("separator:"))
    assert yaml.safe_load(line.strip())["separator"] == SEPARATOR


def test_flow_is_drawn_without_mermaid(tmp_path: Path) -> None:
    code, output, html = bundle(tmp_path, "--service", "inflow", "runbooks")
    assert code == 0, output
    assert 'class="mermaid"' not in html
    svg = html[html.index('<svg class="rb-b-flow"') : html.index("</svg>")]
    for label in ("Alert Fires", "Auto-recovery?", "Post-mortem"):
        assert f">{label}</text>" in svg
    assert '<a href="#mitigate">' in svg  # a node bound to a phase links to it


def _flow(edges: list[tuple[str, str]], direction: str = "TD") -> Flow:
    ids = sorted({x for edge in edges for x in edge})
    nodes = tuple(FlowNode(i, f"node {i}") for i in ids)
    return Flow(nodes, tuple(FlowEdge(a, b) for a, b in edges), direction=direction)


def test_flow_layout_ranks_and_back_edges() -> None:
    flow = _flow([("a", "b"), ("b", "c"), ("a", "c"), ("c", "a")])
    rank, back = ranks(flow)
    assert rank == {"a": 0, "b": 1, "c": 2}
    assert back == {("c", "a")}


@pytest.mark.parametrize("direction", ["TD", "TB", "BT", "LR", "RL"])
def test_flow_layout_no_overlap(direction: str) -> None:
    flow = _flow(
        [("a", "b"), ("a", "c"), ("a", "d"), ("b", "e"), ("c", "e"), ("d", "e")], direction
    )
    boxes, width, height = place(flow)
    for i, one in enumerate(boxes):
        assert one.w / 2 <= one.x <= width - one.w / 2
        assert one.h / 2 <= one.y <= height - one.h / 2
        for other in boxes[i + 1 :]:
            apart_x = abs(one.x - other.x) >= (one.w + other.w) / 2
            apart_y = abs(one.y - other.y) >= (one.h + other.h) / 2
            assert apart_x or apart_y, (one, other)
    first = next(b for b in boxes if b.id == "a")
    last = next(b for b in boxes if b.id == "e")
    along = {"TD": last.y > first.y, "TB": last.y > first.y, "BT": last.y < first.y}
    along |= {"LR": last.x > first.x, "RL": last.x < first.x}
    assert along[direction]


RENDER = [FIXTURES / "render", *SHARED]  # tests/fixtures/render/constructs.yaml has a diagram
STAND_IN = FIXTURES / "vendor"  # a stand-in for mermaid, its LICENSE beside it


def test_mermaid_packed_in_for_diagrams(tmp_path: Path) -> None:
    args = ["--mermaid", "--vendor-dir", str(STAND_IN), *map(str, RENDER)]
    code, output, html = bundle(tmp_path, *args)
    assert code == 0, output
    packed = re.search(r'<script type="application/octet-stream" id="rb-b-mermaid">([^<]*)<', html)
    assert packed is not None
    stand_in = (STAND_IN / "mermaid" / "mermaid.min.js").read_bytes()
    assert gzip.decompress(base64.b64decode(packed.group(1))) == stand_in
    assert '<template id="rb-b-mermaid-license"><pre>' in html
    assert 'class="rb-b-diagram-source no-copy"' in html  # drawn from its source, in the page


def test_mermaid_only_when_a_runbook_has_a_diagram(tmp_path: Path) -> None:
    args = ["--mermaid", "--vendor-dir", str(STAND_IN), "runbooks"]
    code, output, html = bundle(tmp_path, *args)
    assert code == 0, output
    assert 'id="rb-b-mermaid"' not in html
    code, output, html = bundle(tmp_path, *map(str, RENDER))
    assert code == 0, output
    assert 'id="rb-b-mermaid"' not in html  # without --mermaid: the source only


def test_mermaid_missing_is_a_usage_error(tmp_path: Path) -> None:
    args = ["--mermaid", "--vendor-dir", str(tmp_path / "none"), *map(str, RENDER)]
    code, output, html = bundle(tmp_path, *args)
    assert code == 2
    assert (
        f"{tmp_path / 'none' / 'mermaid' / 'mermaid.min.js'}: no such file: run `make vendor`"
        in output
    )
    assert html == ""
