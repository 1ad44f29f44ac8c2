"""The Markdown reader of `runbookgen import` (generator/commands/importer/markdown.py): each
construct as an exact tree with its lines, the five seeds and the real sample read with every
fenced command and task item found, hostile input read quickly without an error, and any text
read without one (hypothesis)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.commands.importer.markdown import (
    MAX_DEPTH,
    Admonition,
    Block,
    Code,
    Document,
    Heading,
    Html,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Table,
    _Parser,
    parse,
)
from tests.conftest import FIXTURES, ROOT

SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
SAMPLE = FIXTURES / "real" / "sample.md"


def blocks(text: str) -> tuple[Block, ...]:
    return parse(text).blocks


def item(*inner: Block, line: int, checked: bool | None = None) -> ListItem:
    return ListItem(inner, line, checked)


def bullets(*items: ListItem) -> ListBlock:
    return ListBlock(items, False, items[0].line, 1)


def walk(tree: tuple[Block, ...]) -> Iterator[Block | ListItem]:
    """Every block and list item, depth first, without recursion."""
    stack: list[Block | ListItem] = list(reversed(tree))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ListBlock):
            stack.extend(reversed(node.items))
        elif isinstance(node, ListItem | Quote | Admonition):
            stack.extend(reversed(node.blocks))


def depth(tree: tuple[Block, ...]) -> int:
    """How deep containers nest (a list and its items count one each)."""
    deepest, stack = 0, [(block, 1) for block in tree]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        inner: tuple[Block | ListItem, ...] = ()
        if isinstance(node, ListBlock):
            inner = node.items
        elif isinstance(node, ListItem | Quote | Admonition):
            inner = node.blocks
        stack.extend((child, level + 1) for child in inner)
    return deepest


# --- headings, paragraphs, rules -----------------------------------------------------------------


def test_atx_headings_lose_their_closing_hashes() -> None:
    assert blocks("# A\n## B ##\n###### C #\n####### D\n#5\n# E#\n#\n") == (
        Heading(1, "A", 1),
        Heading(2, "B", 2),
        Heading(6, "C", 3),
        Paragraph("####### D\n#5", 4),
        Heading(1, "E#", 6),
        Heading(1, "", 7),
    )


def test_setext_headings_take_every_line_of_their_paragraph() -> None:
    assert blocks("Title\n===\n\nSub\nline\n---\n") == (
        Heading(1, "Title", 1),
        Heading(2, "Sub\nline", 4),
    )


def test_a_paragraph_keeps_its_lines_and_inline_markdown_without_indentation() -> None:
    assert blocks("Some *text*\n   with `code` [a](b)  \nend  \n\nnext\n") == (
        Paragraph("Some *text*\nwith `code` [a](b)  \nend", 1),
        Paragraph("next", 5),
    )


def test_thematic_breaks() -> None:
    assert blocks("***\n- - -\n___\n * * *\n*foo*\n") == (
        Rule(1),
        Rule(2),
        Rule(3),
        Rule(4),
        Paragraph("*foo*", 5),
    )


# --- code ----------------------------------------------------------------------------------------


def test_a_fenced_body_is_kept_byte_for_byte() -> None:
    text = "```sh\n\techo a  \n\n  b \\\n    --flag\n```\n~~~\n```\n~~~\n"
    assert blocks(text) == (
        Code("\techo a  \n\n  b \\\n    --flag", "sh", 1, True, True, "sh"),
        Code("```", "", 7, True, True, ""),
    )


def test_a_fence_s_own_indent_is_taken_off_its_lines() -> None:
    assert blocks("  ```\n  a\n    b\n c\n```\n") == (Code("a\n  b\nc", "", 1, True, True, ""),)


def test_a_longer_fence_holds_a_shorter_one() -> None:
    assert blocks("````md\n```sh\nls\n```\n`````\n") == (
        Code("```sh\nls\n```", "md", 1, True, True, "md"),
    )


@pytest.mark.parametrize(
    ("info", "language"),
    [
        ("bash", "bash"),
        ("Bash", "bash"),
        ("  shell-session ", "shell-session"),
        ('bash title="restart.sh"', "bash"),
        ("{.bash}", "bash"),
        ("{.bash .numberLines}", "bash"),
        ("{#id .python}", "python"),
        ("{r echo=FALSE}", "r"),
        ("js{1,3}", "js"),
        ("rust,ignore", "rust"),
        ("{code-block} Python", "python"),
        ("{code} sql", "sql"),
        ("{mermaid}", "mermaid"),
        ("c++", "c++"),
        ("", ""),
    ],
)
def test_the_language_is_the_first_word_of_the_info_string(info: str, language: str) -> None:
    (code,) = blocks(f"```{info}\nx\n```\n")
    assert isinstance(code, Code)
    assert (code.language, code.info) == (language, info.strip())


def test_a_myst_code_block_keeps_its_options_out_of_the_body() -> None:
    assert blocks("```{code-block} bash\n:linenos:\n:caption: Restart\n\nls -l\n```\n") == (
        Code("ls -l", "bash", 1, True, True, "{code-block} bash\n:linenos:\n:caption: Restart"),
    )


def test_an_unclosed_fence_runs_to_the_end_of_its_container() -> None:
    assert blocks("```\na\n\nb\n\n") == (Code("a\n\nb", "", 1, True, False, ""),)
    assert blocks("- ```\n  a\n\nb\n") == (
        bullets(item(Code("a", "", 1, True, False, ""), line=1)),
        Paragraph("b", 4),
    )
    assert blocks("> ```\n> a\nb\n") == (
        Quote((Code("a", "", 1, True, False, ""),), 1),
        Paragraph("b", 3),
    )


def test_indented_code_loses_four_columns_and_keeps_the_rest() -> None:
    assert blocks("    a\n\tb\n\n    c\n    \td\n      e\n\n\nnext\n") == (
        Code("a\nb\n\nc\n\td\n  e", "", 1, False, True, ""),
        Paragraph("next", 9),
    )


def test_indented_code_does_not_interrupt_a_paragraph() -> None:
    assert blocks("text\n    more\n") == (Paragraph("text\nmore", 1),)


# --- lists ---------------------------------------------------------------------------------------


def test_an_ordered_list_starts_at_its_first_number_and_numbers_lazily() -> None:
    assert blocks("3. a\n1. b\n1. c\n") == (
        ListBlock(
            (
                item(Paragraph("a", 1), line=1),
                item(Paragraph("b", 2), line=2),
                item(Paragraph("c", 3), line=3),
            ),
            True,
            1,
            3,
        ),
    )


def test_lists_nest_and_a_new_bullet_starts_a_new_list() -> None:
    assert blocks("- a\n  - b\n    - c\n- d\n* e\n") == (
        bullets(
            item(
                Paragraph("a", 1),
                bullets(item(Paragraph("b", 2), bullets(item(Paragraph("c", 3), line=3)), line=2)),
                line=1,
            ),
            item(Paragraph("d", 4), line=4),
        ),
        bullets(item(Paragraph("e", 5), line=5)),
    )


def test_a_list_item_holds_code_and_paragraphs_indented_under_it() -> None:
    text = '1. Step\n    ```sh\n    echo "in a list"\n    ```\n2. Next\n\n   more\n\n    ls\n'
    assert blocks(text) == (
        ListBlock(
            (
                item(
                    Paragraph("Step", 1),
                    Code('echo "in a list"', "sh", 2, True, True, "sh"),
                    line=1,
                ),
                item(Paragraph("Next", 5), Paragraph("more", 7), Paragraph("ls", 9), line=5),
            ),
            True,
            1,
            1,
        ),
    )


def test_a_code_block_in_a_list_loses_the_item_s_indent_only() -> None:
    text = "- step:\n\n      kubectl get pods \\\n        -n x\n- next\n"
    assert blocks(text) == (
        bullets(
            item(
                Paragraph("step:", 1),
                Code("kubectl get pods \\\n  -n x", "", 3, False, True, ""),
                line=1,
            ),
            item(Paragraph("next", 5), line=5),
        ),
    )


def test_only_a_list_starting_at_one_interrupts_a_paragraph() -> None:
    assert blocks("Text\n2. not a list\n1. a list\n") == (
        Paragraph("Text\n2. not a list", 1),
        ListBlock((item(Paragraph("a list", 3), line=3),), True, 3, 1),
    )


def test_a_lazy_line_goes_on_with_the_item_s_paragraph() -> None:
    assert blocks("- a\nlazy\n- b\n") == (
        bullets(item(Paragraph("a\nlazy", 1), line=1), item(Paragraph("b", 3), line=3)),
    )


def test_task_items_are_checked_or_not_and_lose_their_box() -> None:
    text = "- [ ] a\n- [x] b\n- [X] c\n- [] d\n- [ ]\n- [x]\n  g\n* [x]  e\n1. [ ] f\n"
    assert blocks(text) == (
        bullets(
            item(Paragraph("a", 1), line=1, checked=False),
            item(Paragraph("b", 2), line=2, checked=True),
            item(Paragraph("c", 3), line=3, checked=True),
            item(Paragraph("[] d", 4), line=4),
            item(line=5, checked=False),
            item(Paragraph("g", 7), line=6, checked=True),
        ),
        bullets(item(Paragraph("e", 8), line=8, checked=True)),
        ListBlock((item(Paragraph("f", 9), line=9, checked=False),), True, 9, 1),
    )


def test_nested_task_items() -> None:
    text = "- [x] parent\n  - [ ] child\n    continued\n  - [x] done\n"
    assert blocks(text) == (
        bullets(
            item(
                Paragraph("parent", 1),
                bullets(
                    item(Paragraph("child\ncontinued", 2), line=2, checked=False),
                    item(Paragraph("done", 4), line=4, checked=True),
                ),
                line=1,
                checked=True,
            ),
        ),
    )


# --- tables --------------------------------------------------------------------------------------


def test_a_table_s_cells_are_stripped_escapes_undone_and_code_spans_kept_whole() -> None:
    text = "| a | b |\n|---|:-:|\n| 1 | 2 |\n| `x|y` | a \\| b |\n| only |\n| 1 | 2 | 3 |\n"
    assert blocks(text) == (
        Table(
            ("a", "b"),
            (("1", "2"), ("`x|y`", "a | b"), ("only", ""), ("1", "2", "3")),
            1,
        ),
    )


def test_a_table_ends_at_a_blank_line_or_another_block() -> None:
    text = "Intro\na | b\n--|--\nc | d\n\n| x |\n| - |\n# H\n| y |\n|---|\n<!-- c -->\n"
    assert blocks(text) == (
        Paragraph("Intro", 1),
        Table(("a", "b"), (("c", "d"),), 2),
        Table(("x",), (), 6),
        Heading(1, "H", 8),
        Table(("y",), (), 9),
        Html("<!-- c -->", 11),
    )


def test_a_delimiter_row_of_another_width_makes_no_table() -> None:
    assert blocks("| a | b |\n| - |\n") == (Paragraph("| a | b |\n| - |", 1),)


# --- quotes and admonitions ----------------------------------------------------------------------


def test_quotes_nest_and_take_lazy_lines() -> None:
    assert blocks("> quote\nlazy\n> > nested\n\n>\n") == (
        Quote((Paragraph("quote\nlazy", 1), Quote((Paragraph("nested", 3),), 3)), 1),
        Quote((), 5),
    )


def test_a_github_alert_is_an_admonition() -> None:
    assert blocks("> [!WARNING]\n> Be careful\n>\n> - item\n") == (
        Admonition(
            "warning",
            "",
            (Paragraph("Be careful", 2), bullets(item(Paragraph("item", 4), line=4))),
            1,
            False,
        ),
    )
    assert blocks("> [!tip]- Title here\n> body\n") == (
        Admonition("tip", "Title here", (Paragraph("body", 2),), 1, True),
    )


def test_material_admonitions_hold_what_is_indented_under_them() -> None:
    text = (
        '!!! note "Title"\n    body\n\n    more\n\nafter\n'
        '??? warning\n    hidden\n???+ tip "T"\n    open\n!!! danger ""\n    x\n'
    )
    assert blocks(text) == (
        Admonition("note", "Title", (Paragraph("body", 2), Paragraph("more", 4)), 1, False),
        Paragraph("after", 6),
        Admonition("warning", "", (Paragraph("hidden", 8),), 7, True),
        Admonition("tip", "T", (Paragraph("open", 10),), 9, True),
        Admonition("danger", "", (Paragraph("x", 12),), 11, False),
    )


def test_material_admonitions_nest_and_hold_code_and_html() -> None:
    text = (
        "!!! note\n    outer\n\n    !!! tip\n        inner\n\n    ```sh\n    ls\n    ```\n"
        "    <table>\n\n      <tr><td>x</td></tr>\n    </table>\n"
    )
    assert blocks(text) == (
        Admonition(
            "note",
            "",
            (
                Paragraph("outer", 2),
                Admonition("tip", "", (Paragraph("inner", 5),), 4, False),
                Code("ls", "sh", 7, True, True, "sh"),
                Html("<table>\n\n  <tr><td>x</td></tr>\n</table>", 10),
            ),
            1,
            False,
        ),
    )


def test_a_line_not_indented_ends_a_material_admonition() -> None:
    assert blocks("!!! note\n    text\nafter\n") == (
        Admonition("note", "", (Paragraph("text", 2),), 1, False),
        Paragraph("after", 3),
    )


def test_myst_directives_are_admonitions() -> None:
    text = (
        "```{note} A title\nbody\n```\n"
        ":::{warning}\n:class: x\nbody **b**\n:::\n"
        "```{admonition} Check this\n:class: tip\ntext\n```\n"
        "````{important}\n```bash\nls\n```\n````\n"
    )
    assert blocks(text) == (
        Admonition("note", "A title", (Paragraph("body", 2),), 1, False),
        Admonition("warning", "", (Paragraph("body **b**", 6),), 4, False),
        Admonition("tip", "Check this", (Paragraph("text", 10),), 8, False),
        Admonition("important", "", (Code("ls", "bash", 13, True, True, "bash"),), 12, False),
    )


def test_docusaurus_and_pandoc_fenced_divs_are_admonitions() -> None:
    text = (
        ":::tip[My title]\ntext\n:::\n\n:::danger Take care\nx\n:::\n\n"
        '::: {.callout-warning title="Heads up"}\ny\n:::\n\n:::\nnot a directive\n'
    )
    assert blocks(text) == (
        Admonition("tip", "My title", (Paragraph("text", 2),), 1, False),
        Admonition("danger", "Take care", (Paragraph("x", 6),), 5, False),
        Admonition("warning", "Heads up", (Paragraph("y", 10),), 9, False),
        Paragraph(":::\nnot a directive", 13),
    )


def test_an_unclosed_directive_runs_to_the_end() -> None:
    assert blocks(":::{note}\ntext\n") == (
        Admonition("note", "", (Paragraph("text", 2),), 1, False),
    )


# --- HTML ----------------------------------------------------------------------------------------


def test_html_comments_are_kept_whole() -> None:
    assert blocks("a\n<!--\n- [ ] hidden\n\n-->\nafter\n") == (
        Paragraph("a", 1),
        Html("<!--\n- [ ] hidden\n\n-->", 2),
        Paragraph("after", 6),
    )


def test_details_and_html_tables_are_kept_whole_across_blank_lines() -> None:
    text = (
        "<details>\n<summary>More</summary>\n\nHidden *text*\n\n<details>\nx\n</details>\n\n"
        "</details>\nafter\n\n<TABLE>\n<tr>\n\n<td>1</td></tr>\n</table>\n"
    )
    assert blocks(text) == (
        Html(
            "<details>\n<summary>More</summary>\n\nHidden *text*\n\n<details>\nx\n</details>\n\n"
            "</details>",
            1,
        ),
        Paragraph("after", 11),
        Html("<TABLE>\n<tr>\n\n<td>1</td></tr>\n</table>", 13),
    )


def test_html_blocks_end_at_a_blank_line_otherwise() -> None:
    text = (
        "<div>\na\n</div>\n\nb\n<details><summary>x</summary>y</details>\nz\n\nc\n<details>\n\nd\n"
    )
    assert blocks(text) == (
        Html("<div>\na\n</div>", 1),
        Paragraph("b", 5),
        Html("<details><summary>x</summary>y</details>\nz", 6),
        Paragraph("c", 9),
        Html("<details>", 10),
        Paragraph("d", 12),
    )


def test_an_inline_tag_does_not_interrupt_a_paragraph() -> None:
    assert blocks("Para\n<span>x</span>\n\n<span>\ny\n") == (
        Paragraph("Para\n<span>x</span>", 1),
        Html("<span>\ny", 4),
    )


# --- front matter, link definitions, what other engines put in a page ------------------------


def test_yaml_front_matter_is_read_and_lines_still_count() -> None:
    document = parse("---\ntitle: T\ntags: [a, b]\n---\n# H\n")
    assert document.front_matter == {"title": "T", "tags": ["a", "b"]}
    assert document.front_matter_error == ""
    assert document.blocks == (Heading(1, "H", 5),)


def test_toml_front_matter_is_read() -> None:
    document = parse('+++\ntitle = "T"\n[params]\nn = 1\n+++\nx\n')
    assert document.front_matter == {"title": "T", "params": {"n": 1}}
    assert document.blocks == (Paragraph("x", 6),)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("---\ntitle: [unclosed\n---\nx\n", "YAML front matter, line 2: expected ',' or ']'"),
        ('+++\ntitle = "x\n+++\nx\n', "TOML front matter"),
        ("---\n" + "[" * 5000 + "\n---\nx\n", "YAML front matter"),
        ("---\n" + "a: b\n" * 30_000 + "---\nx\n", "front matter of over 100,000 characters"),
    ],
)
def test_unreadable_front_matter_says_why_and_is_read_as_markdown(text: str, error: str) -> None:
    """Read as Markdown (as MkDocs does), so that nothing is lost."""
    document = parse(text)
    assert document.front_matter == {}
    assert document.front_matter_error.startswith(error)
    first, last = document.blocks[0], document.blocks[-1]
    assert first.line == 1
    assert isinstance(last, Paragraph)
    assert last.text.endswith("x")


def test_a_page_that_opens_with_a_rule_loses_nothing() -> None:
    text = "---\n\nIntro text.\n\n- step one\n\n---\n\nmore\n"
    document = parse(text)
    assert (document.front_matter, document.front_matter_error) == ({}, "")
    assert document.blocks == (
        Rule(1),
        Paragraph("Intro text.", 3),
        bullets(item(Paragraph("step one", 5), line=5)),
        Rule(7),
        Paragraph("more", 9),
    )


def test_front_matter_as_the_team_s_engine_reads_it() -> None:
    """YAML that reads as a mapping is front matter, as MkDocs, Hugo and Jekyll read it, even
    where a `#` line would have been a heading: the team's pages did not show it either."""
    text = "---\n\n# Runbook\n\nStep: one\n\n---\n\nmore\n"
    document = parse(text)
    assert (document.front_matter, document.front_matter_error) == ({"Step": "one"}, "")
    assert document.blocks == (Paragraph("more", 9),)


def test_a_yaml_block_that_is_no_mapping_is_markdown() -> None:
    document = parse("---\nJust text\n---\n")
    assert (document.front_matter, document.front_matter_error) == ({}, "")
    assert document.blocks == (Rule(1), Heading(2, "Just text", 2))
    assert parse("---\na: 1\n").blocks == (Rule(1), Paragraph("a: 1", 2))


def test_link_definitions_go_to_links_and_leave_the_blocks() -> None:
    text = (
        "[Foo  Bar]: https://example.com \"Title\"\n[b]: <https://x.y/z>\n  'title'\n[c]: /u\n"
        "[c]: /second\n\n[^1]: a footnote\n\nText [x] and\n[d]: /not-a-definition\n"
    )
    document = parse(text)
    assert document.links == {"foo bar": "https://example.com", "b": "https://x.y/z", "c": "/u"}
    assert document.blocks == (
        Paragraph("[c]: /second", 5),
        Paragraph("[^1]: a footnote", 7),
        Paragraph("Text [x] and\n[d]: /not-a-definition", 9),
    )


def test_hugo_shortcodes_erb_and_myst_targets_stay_as_written() -> None:
    text = (
        '{{< notice warning >}}\nText\n{{% /notice %}}\n<%= render "x" %>\n\n'
        "(restart-pods)=\n# Heading\n"
    )
    assert blocks(text) == (
        Paragraph("{{< notice warning >}}", 1),
        Paragraph("Text", 2),
        Paragraph("{{% /notice %}}", 3),
        Paragraph('<%= render "x" %>', 4),
        Paragraph("(restart-pods)=", 6),
        Heading(1, "Heading", 7),
    )


def test_tabs_stop_every_four_columns_for_structure() -> None:
    assert blocks("-\tfoo\n\n\tbar\n>\tquote\n") == (
        bullets(item(Paragraph("foo", 1), Paragraph("bar", 3), line=1)),
        Quote((Paragraph("quote", 4),), 4),
    )
    assert blocks("- a\n\n\t\tcode\n") == (
        bullets(item(Paragraph("a", 1), Code("  code", "", 3, False, True, ""), line=1)),
    )


def test_lines_are_those_of_the_file() -> None:
    text = "---\nx: 1\n---\n\n# Title\n\nText\n\n- a\n\n  b\n\n```\ncode\n```\n\n> q\n"
    assert [(type(node).__name__, node.line) for node in walk(parse(text).blocks)] == [
        ("Heading", 5),
        ("Paragraph", 7),
        ("ListBlock", 9),
        ("ListItem", 9),
        ("Paragraph", 9),
        ("Paragraph", 11),
        ("Code", 13),
        ("Quote", 17),
        ("Paragraph", 17),
    ]


def test_empty_and_blank_text() -> None:
    for text in ("", "\n", "   \n\t\n", "\n\n\n"):
        document = parse(text)
        assert (document.blocks, document.front_matter, document.links) == ((), {}, {})


# --- real runbooks -------------------------------------------------------------------------------

FENCE = re.compile(r"^( *)(`{3,}|~{3,})")


def naive_code_bodies(text: str) -> list[str]:
    """The body of each fenced block, found line by line with no Markdown parser: from an
    opening fence to the next line of only that fence's characters, the fence's indent off."""
    lines, bodies, i = text.split("\n"), [], 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, fence = len(opening.group(1)), opening.group(2)
        end = i + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        body = lines[i + 1 : end]
        bodies.append("\n".join(ln[indent:] if not ln[:indent].strip() else ln for ln in body))
        i = end + 1
    return bodies


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0])


def naive_tasks(text: str) -> list[tuple[int, bool]]:
    """The line and state of each `- [ ]` / `- [x]` line outside fenced blocks and comments."""
    tasks, fence, comment = [], "", False
    for number, line in enumerate(text.split("\n"), start=1):
        opening = FENCE.match(line)
        if comment or (not fence and line.lstrip().startswith("<!--")):
            comment = "-->" not in line
        elif fence and _closes(line, fence):
            fence = ""
        elif not fence and opening is not None:
            fence = opening.group(2)
        elif not fence and (task := re.match(r"\s*[-*+] \[([ xX])\]", line)):
            tasks.append((number, task.group(1) != " "))
    return tasks


@pytest.mark.parametrize("path", [*SEEDS, SAMPLE], ids=lambda p: p.name)
def test_every_command_and_task_of_a_real_runbook_is_found(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    nodes = list(walk(parse(text).blocks))
    bodies = [node.body for node in nodes if isinstance(node, Code) and node.fenced]
    assert naive_code_bodies(text)
    assert [body for body in naive_code_bodies(text) if body not in bodies] == []
    tasks = [(node.line, node.checked) for node in nodes if isinstance(node, ListItem)]
    assert [task for task in naive_tasks(text) if task not in tasks] == []


def test_the_seeds_hold_what_we_count_on() -> None:
    counts = []
    for path in SEEDS:
        nodes = list(walk(parse(path.read_text(encoding="utf-8")).blocks))
        counts.append(
            (
                sum(isinstance(node, Code) for node in nodes),
                sum(isinstance(node, ListItem) and node.checked is not None for node in nodes),
                sum(isinstance(node, Table) for node in nodes),
            )
        )
    assert counts == [(11, 0, 2), (26, 9, 1), (14, 0, 2), (3, 0, 5), (19, 17, 2)]


def test_the_real_sample_reads_as_written() -> None:
    document = parse(SAMPLE.read_text(encoding="utf-8"))
    assert document.front_matter["url"] == "https://front-matter.example.com/not-an-atom"
    assert document.links == {"notes": "https://example.com/notes"}
    assert [type(block).__name__ for block in document.blocks] == [
        "Heading",
        "Paragraph",
        "Code",
        "Code",
        "ListBlock",
        "ListBlock",
        "Table",
        "Html",
        "Paragraph",
        "Admonition",
        "Quote",
        "Html",
        "Code",
    ]
    table = document.blocks[6]
    assert table == Table(("Step", "Command"), (("*Stage*", "`krel stage | tee log`"),), 29)
    assert document.blocks[-1] == Code("# not a heading <!-- not a comment -->", "", 48, True)


# --- hostile input -------------------------------------------------------------------------------

WIDE_TABLE = (
    "|" + "a|" * 10_000 + "\n|" + "-|" * 10_000 + "\n" + ("|" + "`b`|" * 10_000 + "\n") * 20
)
HOSTILE = {
    "10,000 nested lists on a line": "- " * 10_000 + "deepest\n",
    "10,000 nested ordered lists": "1. " * 10_000 + "deepest\n",
    "3,000 nested lists, a line each": "".join("  " * i + "- deepest\n" for i in range(3_000)),
    "3,000 nested lists indented with tabs": "".join(
        "\t" * (i // 4) + "- deepest\n" for i in range(3_000)
    ),
    "10,000 nested quotes": ">" * 10_000 + " deepest\n",
    "10,000 nested quotes, 100 lines": ("> " * 10_000 + "deepest\n") * 100,
    "2,000 nested admonitions": "".join("    " * i + "!!! note\n" for i in range(2_000))
    + "    " * 2_000
    + "deepest\n",
    "2,000 nested fenced divs": "".join(":" * (2_003 - i) + "note\n" for i in range(2_000))
    + "deepest\n",
    "a 10,000-column table": WIDE_TABLE,
    "a table row of unpaired backticks": "| a |\n|---|\n|" + "`x" * 20_000 + "|\n",
    "an unclosed fence": "```\n" + "line\n" * 300_000,
    "an unclosed comment": "<!--\n" + "line\n" * 300_000,
    "100,000 unclosed <details>": "<details>\n\nx\n" * 100_000,
    "a 50 MB line": "a" * 50_000_000,
    "a 50 MB line of bullets": "- " * 25_000_000,
    "a 50 MB line of quote marks": ">" * 50_000_000,
    "50 MB of text with long lines": ("word " * 2_000 + "\n") * 5_000,
    "deeply nested YAML": "---\n" + "[" * 10_000 + "\n---\ndeepest\n",
    "NUL and control characters": "\x00\x01\x02\r\x0b\x0c\x1b[31m\n" * 100_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_read_nesting_bounded(text: str) -> None:
    """Read whole, however hostile (how fast: bench/importer.py)."""
    document = parse(text)
    assert depth(document.blocks) <= MAX_DEPTH + 1
    if "deepest" in text:  # what is nested too deep is kept as text of the deepest container
        found = (getattr(node, "text", "") for node in walk(document.blocks))
        assert any("deepest" in text for text in found)


def test_binary_input_is_read() -> None:
    noise = random.Random(19).randbytes(2_000_000).decode("latin-1")
    assert isinstance(parse(noise * 25), Document)  # 50 MB


# --- any text ------------------------------------------------------------------------------------

PIECES = [
    *("alpha", "beta", "gamma", " ", "    ", "\t", "\n", "\n", "\n\n"),
    *("- ", "* ", "+ ", "1. ", "2) ", "> ", ">", "# ", "## ", "```", "~~~", "```bash"),
    *("| ", " |", "|", "---", "===", "***", "<div>", "</div>", "<!--", "-->", "[ ] ", "[x] "),
    *("`", "\\", "\\|", ":::", ":::note", "!!! note\n", '??? tip "T"\n', "{{< x >}}"),
    *("<details>", "</details>", "<table>", "</table>", "[a]: /u", "[!NOTE]", "```{note}", "+++"),
]
WORDS = ("alpha", "beta", "gamma")


def texts(tree: tuple[Block, ...]) -> str:
    """Every text the blocks hold."""
    found: list[str] = []
    for node in walk(tree):
        if isinstance(node, Heading | Paragraph | Html):
            found.append(node.text)
        elif isinstance(node, Code):
            found += [node.body, node.info]
        elif isinstance(node, Table):
            found += [*node.head, *(cell for row in node.rows for cell in row)]
        elif isinstance(node, Admonition):
            found += [node.kind, node.title]
    return "\n".join(found)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=50))
def test_no_word_is_lost(pieces: list[str]) -> None:
    text = "".join(pieces)
    document = parse(text)
    kept = texts(document.blocks) + " ".join([*document.links, *document.links.values()])
    assert [word for word in WORDS if word in text and word not in kept] == []
    assert document == parse(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_read(text: str) -> None:
    document = parse(text)
    lines = text.count("\n") + 1
    assert all(1 <= node.line <= lines for node in walk(document.blocks))
    assert depth(document.blocks) <= MAX_DEPTH + 1


LINES = st.tuples(
    st.sampled_from(["", " ", "  ", "   ", "    ", "      ", "\t", " \t"]),
    st.sampled_from(
        [
            *("", "", "- ", "* ", "1. ", "2) ", "-     ", "> ", "> - ", "# ", "```", "~~~sh", "| "),
            *("!!! note", ":::tip", ":::", "<div>", "<!--", "-->", "---", "===", "- [ ] ", "-"),
        ]
    ),
    st.sampled_from(["", "alpha", "*e*", "**b**", "`c`", "a | b", "|---|---|", "\tbeta", "1. x"]),
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(LINES, max_size=25))
def test_lines_read_the_short_way_read_as_the_long_way(lines: list[str]) -> None:
    """The short ways for frequent lines (`_Parser._read_quickly`) change nothing."""
    text = "\n".join(lines)
    quick = parse(text)
    with patch.object(_Parser, "_read_quickly", lambda *_: False):
        assert parse(text) == quick
