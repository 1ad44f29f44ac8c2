"""The traps real runbooks set for whoever transcribes them into YAML, each with the diagnostic
it gets, and the message for a text YAML reads as a `key: value` mapping because of a colon in
it (found transcribing tests/fixtures/real/): named as such, with the text quoted as it should
be written, wherever a text may be."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.render.html import render_inputs_html
from generator.render.markdown import runbook_inputs
from generator.run.project import load_project, load_site
from tests.conftest import FIXTURES, TODAY
from tests.test_fixtures import SHARED, expected
from tests.test_real_runbooks import checked_page

INVALID = FIXTURES / "invalid"
REAL = FIXTURES / "real"
KREL = REAL / "kubernetes__sig-release__cut-release-issue-template.yaml"
VOLUME = REAL / "prometheus-operator__runbooks__kubepersistentvolumefillingup.yaml"

# Each trap: the fixture that falls into it, the code it gets and the fix its message names.
TRAPS = {
    "' #' in plain text starts a YAML comment": (
        "loader-comment-cuts-text.yaml",
        "RB018",
        "quote the whole text",
    ),
    "a Markdown task item '- [x] ...' pasted into a list": (
        "loader-task-list-item.yaml",
        "RB010",
        'write the item as text, quoted (`- "[x] Paged the DBA"`)',
    ),
    "a text that starts with '{{'": (
        "loader-template-braces.yaml",
        "RB010",
        'quote the whole text: `"{{ ... }} ..."`',
    ),
    "a command that starts with a '$ ' prompt": (
        "xref-command-prompt.yaml",
        "RB212",
        "remove it, or set `language: console`",
    ),
    "a table row longer than its columns": (
        "xref-table-row-too-long.yaml",
        "RB213",
        "add a column to `columns:`, or join the cells",
    ),
    "a plain list item with a colon": (
        "trap-list-item-colon.yaml",
        "RB101",
        'quote the whole text: - "Use krel stage && krel release see the handbook for more:"',
    ),
    "a list item ending with ':' with its sub-items under it": (
        "trap-item-colon-sublist.yaml",
        "RB101",
        'write `text: "Screenshot Testgrid Boards:"` and put the list under `items:`',
    ),
}


def diagnostics(path: Path) -> list[str]:
    """The diagnostics of one file (checked beside the shared contacts and schemes) as
    `runbookgen check` prints them."""
    site = load_site([path, *SHARED])
    return [f"{d.line}:{d.col}: {d.code} {d.message}" for d in site.diagnostics]


@pytest.mark.parametrize("trap", TRAPS, ids=lambda trap: TRAPS[trap][0])
def test_each_trap_has_its_diagnostic_and_fix(trap: str) -> None:
    name, code, fix = TRAPS[trap]
    assert code in {c for _, _, c in expected(INVALID / name)}, f"{name} expects no {code}"
    found = [d for d in diagnostics(INVALID / name) if f" {code} " in d]
    assert any(fix in d for d in found), "\n".join(found)


def test_a_plain_text_with_a_colon_says_so_wherever_a_text_may_be() -> None:
    assert diagnostics(INVALID / "trap-list-item-colon.yaml") == [
        "21:17: RB101 phases/0/steps/0/items/0/items/0: YAML read this text as a `key: value`"
        " mapping because of its final ':': quote the whole text:"
        ' - "Use krel stage && krel release see the handbook for more:"',
        "23:13: RB101 phases/0/steps/0/items/1: unknown property 'ordred': did you mean 'ordered'?",
        "25:13: RB101 phases/0/steps/1/checklist/0: YAML read this text as a `key: value`"
        " mapping because of the ': ' after 'Paged': quote the whole text: - \"Paged: the DBA\"",
        "31:9: RB102 procedures/0/symptoms/0: YAML read this text as a `key: value` mapping"
        " because of the ': ' after 'Latency': quote the whole text: - \"Latency: above 2 s\"",
    ]


def test_a_text_with_sub_items_under_its_colon_says_where_they_go() -> None:
    assert diagnostics(INVALID / "trap-item-colon-sublist.yaml") == [
        "17:13: RB101 phases/0/steps/0/items/0: YAML read this text as a `key: value` mapping"
        " because of the ':' after 'Screenshot Testgrid Boards', and the list under it as its"
        ' value: write `text: "Screenshot Testgrid Boards:"` and put the list under `items:`',
        "20:13: RB101 phases/0/steps/1/checklist/0: YAML read this text as a `key: value`"
        " mapping because of the ':' after 'Before the cut', and the list under it as its value:"
        ' write `text: "Before the cut:"` and put the list under `items:`',
        "28:9: RB102 procedures/0/symptoms/0: YAML read this text as a `key: value` mapping"
        " because of the ':' after 'Errors like', and what is indented under it as its value:"
        ' quote the text ("Errors like:") and move what is under it out (a text holds nothing'
        " under it)",
    ]


def test_what_yaml_read_as_a_number_or_a_boolean_is_quoted_as_written(tmp_path: Path) -> None:
    """The quoted text is the text as written, not as YAML read it (1.10, not 1.1)."""
    source = INVALID / "trap-list-item-colon.yaml"
    text = source.read_text(encoding="utf-8").replace("Paged: the DBA", "Upgrade to: 1.10")
    path = tmp_path / source.name
    path.write_text(text.replace("Latency: above 2 s", "Restart: yes"), encoding="utf-8")
    found = diagnostics(path)
    assert found[2].endswith("after 'Upgrade to': quote the whole text: - \"Upgrade to: 1.10\"")
    assert found[3].endswith("after 'Restart': quote the whole text: - \"Restart: yes\"")


QUOTED = '- "Use `krel stage` && `krel release` see the handbook for more:"'


def test_the_real_list_item_unquoted_says_how_to_quote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The item of the real release checklist, unquoted as first transcribed: the message gives
    the line as it must be written, and written so, the runbook checks clean."""
    source = KREL.read_text(encoding="utf-8")
    assert QUOTED in source
    unquoted = QUOTED.replace('"', "")
    (tmp_path / KREL.name).write_text(source.replace(QUOTED, unquoted), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", KREL.name])
    errors = [line for line in result.output.splitlines() if ": error " in line]
    assert errors == [
        f"{KREL.name}:58:17: error RB101 phases/2/steps/2/items/1/items/0: YAML read this text"
        " as a `key: value` mapping because of its final ':': quote the whole text: " + QUOTED
    ]
    fixed = errors[0].rsplit("quote the whole text: ", 1)[1]
    (tmp_path / KREL.name).write_text(source.replace(QUOTED, fixed), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", KREL.name])
    assert ": error " not in result.output


def test_a_step_with_a_title_and_a_condition_is_no_error_and_shows_both(tmp_path: Path) -> None:
    """Not a trap but a question transcribers asked: a titled step may have `when:`."""
    source = VOLUME.read_text(encoding="utf-8")
    titled = "      - title: Direct Volume resizing\n"
    path = tmp_path / VOLUME.name
    path.write_text(
        source.replace(titled, titled + "        when: the storage class allows expansion\n"),
        encoding="utf-8",
    )
    errors, page = checked_page(path)
    assert errors == []
    assert page is not None
    assert "If the storage class allows expansion: Direct Volume resizing" in page.text


def test_language_shell_is_accepted() -> None:
    """`language: shell`, as real runbooks write their fences, is a language of its own, and
    its commands are shown as such."""
    assert re.search(r"^ +- language: shell$", VOLUME.read_text(encoding="utf-8"), re.M)
    errors, _ = checked_page(VOLUME)
    assert errors == []
    site, _ = load_project([VOLUME], jobs=1)
    page = render_inputs_html(runbook_inputs(site.runbooks[0], site, today=TODAY)).content
    assert '<code class="language-shell">kubectl get storageclass ' in page
