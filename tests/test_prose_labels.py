"""A link in a text whose label holds a code span (`[`krel` handbook](https://...)`), or wraps
over a line break in a block scalar, is a link on the page, on both the Markdown and the HTML
page, and its address is checked (RB210); raw HTML and other addresses stay text. Real runbooks
write both (tests/fixtures/real/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.loader import parse
from generator.core.prose import links
from generator.render.escape import inline
from tests.conftest import FIXTURES
from tests.test_real_runbooks import checked_page
from tests.test_render_html import assert_same_page, inputs_of, render_inputs_html

KREL = FIXTURES / "real" / "kubernetes__sig-release__cut-release-issue-template.yaml"
FAST_FORWARD = (
    "https://testgrid.k8s.io/sig-release-releng-blocking#git-repo-kubernetes-fast-forward"
)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "See the [`krel` handbook](https://example.com/krel).",
            'See the <a href="https://example.com/krel"><code>krel</code> handbook</a>.',
        ),
        (
            "Read [the release\nhandbook](https://example.com/h) first.",
            'Read <a href="https://example.com/h">the release handbook</a> first.',
        ),
        (
            "[`a[0]` and `b`,\n  **both**](https://example.com/x)",
            '<a href="https://example.com/x"><code>a&#91;0&#93;</code> and <code>b</code>,'
            " <strong>both</strong></a>",
        ),
        ("[a ` b](mailto:oncall@example.com)", '<a href="mailto:oncall@example.com">a &#96; b</a>'),
    ],
    ids=["code-span", "line-break", "both", "lone-backtick"],
)
def test_a_label_with_code_or_a_line_break_is_a_link(text: str, html: str) -> None:
    assert inline(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        # A blank line ends a paragraph, and a label with it.
        (
            "[the\n\nhandbook](https://example.com/h)",
            "&#91;the<br><br>handbook&#93;(https://example.com/h)",
        ),
        # A code span holds no link, even one it starts before the label ends.
        ("`[a](https://example.com)`", "<code>&#91;a&#93;(https://example.com)</code>"),
        ("[a `b](https://example.com) c`", "&#91;a <code>b&#93;(https://example.com) c</code>"),
        # Other addresses and raw HTML stay text; code spans in them are still code.
        ("[`x`](../a.md)", "&#91;<code>x</code>&#93;(../a.md)"),
        ("[`x`](javascript:alert(1))", "&#91;<code>x</code>&#93;(javascript:alert(1))"),
        (
            "[<b>x</b> `y`](https://example.com)",
            '<a href="https://example.com">&#60;b&#62;x&#60;/b&#62; <code>y</code></a>',
        ),
    ],
    ids=["blank-line", "code-holds-link", "code-past-label", "relative", "javascript", "html"],
)
def test_what_stays_text(text: str, html: str) -> None:
    assert inline(text) == html


def test_a_label_that_never_ends_is_read_at_once() -> None:
    """Each character of a label can start one kind of part only: long texts of brackets,
    backticks and line breaks with no end to their label make no exponential search."""
    for text in ("[" + "` a " * 5000, "[a\n" * 5000, "[" + "`a`b" * 5000 + "](", "[`" * 5000):
        assert "<a " not in inline(text)


SOURCE = """\
id: labels
title: Labels
last_reviewed: 2026-01-01
summary: |
  Follow the [`krel` handbook](https://example.com/krel) and the [release
  team's notes](https://example.com/notes).
phases:
  - id: act
    title: Act
    steps:
      - text: Run [`krel stage`
          then `krel release`](https://example.com/stage).
        items:
          - "[`kpromo pr` docs](https://example.com/kpromo)"
"""


def test_both_pages_have_the_links() -> None:
    """The Markdown page, converted as MkDocs converts it, is the HTML page, links included."""
    inputs = inputs_of(parse(SOURCE.encode(), "labels.yaml").data)
    assert_same_page(inputs)
    html = render_inputs_html(inputs).content
    for link in (
        '<a href="https://example.com/krel"><code>krel</code> handbook</a>',
        '<a href="https://example.com/notes">release team\'s notes</a>',
        '<a href="https://example.com/stage"><code>krel stage</code> then'
        " <code>krel release</code></a>",
        '<a href="https://example.com/kpromo"><code>kpromo pr</code> docs</a>',
    ):
        assert link in html


def test_the_real_link_with_code_in_its_label_is_a_link() -> None:
    """The release checklist's `[`krel fast-forward`](...)` showed as raw Markdown."""
    assert f"[`krel fast-forward`]({FAST_FORWARD})" in KREL.read_text(encoding="utf-8")
    errors, page = checked_page(KREL)
    assert errors == []
    assert page is not None
    assert FAST_FORWARD in page.hrefs
    assert "[`krel fast-forward`]" not in page.text


def test_addresses_in_such_labels_are_found_for_the_checks() -> None:
    text = "[`a`](https://a.example) [b\nc](https://b example.com) [d\n\ne](https://e.example)"
    assert links(text) == ["https://a.example", "https://b example.com"]


def test_a_bad_address_in_a_wrapped_label_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "labels.yaml").write_text(
        SOURCE.replace("https://example.com/notes", "https://example com/notes"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "labels.yaml"])
    errors = [line for line in result.output.splitlines() if ": error " in line]
    assert errors == [
        "labels.yaml:6:17: error RB210 link 'https://example com/notes' is not a valid URL: it"
        " contains a space, a quote, <, > or a backslash: percent-encode it"
    ]
