"""`runbookgen alerts annotate`: the runbook_url of declared alerts written in place, and
nothing else of the file changed (tests/fixtures/alerts/annotated/ holds each rule file as it
must come out, byte for byte; regenerate by running annotate on a copy and review the diff).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.commands.alerts.annotate import annotate_file, quoted
from generator.commands.alerts.links import Links
from generator.commands.alerts.rules import parse_rules
from generator.run.project import load_site
from tests.conftest import FIXTURES

ALERTS = FIXTURES / "alerts"
RUNBOOKS = ALERTS / "runbooks"
SITE = "https://runbooks.example.com/"
NAMES = sorted(p.name for p in (ALERTS / "rules").glob("*.yaml"))


def annotate(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(
        main, ["alerts", "annotate", *args, "--site-url", SITE, "--runbooks", str(RUNBOOKS)]
    )
    return result.exit_code, result.output.splitlines()


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ALERTS / "rules", tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    return Path("rules")


def test_files_come_out_byte_for_byte(rules: Path) -> None:
    code, lines = annotate(str(rules))
    assert code == 0
    assert lines == [
        "rules/crlf.yaml: runbook_url written for 1 alert(s)",
        "rules/odd-shapes.yaml: runbook_url written for 6 alert(s)",
        "rules/platform-prometheusrule.yaml: runbook_url written for 4 alert(s)",
        "rules/thanos-alerts.yaml: runbook_url written for 1 alert(s)",
    ]
    for name in NAMES:
        assert (rules / name).read_bytes() == (ALERTS / "annotated" / name).read_bytes(), name


def test_annotated_files_check_clean_of_url_problems(rules: Path) -> None:
    annotate(str(rules))
    result = CliRunner().invoke(
        main, ["alerts", "check", str(rules), "--site-url", SITE, "--runbooks", str(RUNBOOKS)]
    )
    # A diagnostic line is `path:line:col: severity CODE message` (a path of any length).
    codes = set(re.findall(r"(?m)^\S+:\d+:\d+: \w+ (RB\d{3}) ", result.output))
    # What is left: an alert no runbook declares, other sites' URLs of undeclared alerts, and
    # a URL to a page that does not exist for an undeclared alert; a declaration without rule.
    assert codes == {"RB405", "RB410", "RB408"}


def test_twice_changes_nothing(rules: Path) -> None:
    annotate(str(rules))
    code, lines = annotate(str(rules), "--check")
    assert (code, lines) == (0, [])


def test_check_prints_a_diff_and_exits_1(rules: Path) -> None:
    before = (rules / "crlf.yaml").read_bytes()
    code, lines = annotate(str(rules / "crlf.yaml"), "--check")
    assert code == 1
    assert lines == [
        "--- a/rules/crlf.yaml",
        "+++ b/rules/crlf.yaml",
        "@@ -7,3 +7,4 @@",
        "       severity: critical",
        "     annotations:",
        "       summary: A disk is full.",
        "+      runbook_url: https://runbooks.example.com/runbooks/queues/#disk",
    ]
    assert (rules / "crlf.yaml").read_bytes() == before


def test_keep_other_sites(rules: Path) -> None:
    code, lines = annotate(str(rules / "thanos-alerts.yaml"), "--check", "--keep-other-sites")
    assert (code, lines) == (0, [])


def test_a_template_that_fits_is_kept(rules: Path) -> None:
    """KubeDeploymentReplicasMismatch's `{{ $labels.namespace }}-deployments/` URL fits the
    page of the runbook that declares it: the golden file keeps it."""
    golden = (ALERTS / "annotated" / "platform-prometheusrule.yaml").read_text()
    assert "runbooks/{{ $labels.namespace }}-deployments/?deployment=" in golden


def test_a_byte_order_mark_is_kept(rules: Path) -> None:
    path = rules / "crlf.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    annotate(str(path))
    expected = (ALERTS / "annotated" / "crlf.yaml").read_bytes()
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected


def test_no_final_newline(rules: Path) -> None:
    path = rules / "r.yaml"
    path.write_text("groups:\n- name: g\n  rules:\n  - alert: QueueBacklog\n    expr: up == 0")
    code, _ = annotate(str(path))
    assert code == 0
    assert path.read_text() == (
        "groups:\n- name: g\n  rules:\n  - alert: QueueBacklog\n    expr: up == 0\n"
        "    annotations:\n      runbook_url: https://runbooks.example.com/runbooks/queues/#stalled"
    )


def test_a_file_that_cannot_be_edited_safely_is_left(rules: Path) -> None:
    """An edit that would change another value (here a `|+` block keeping its trailing blank
    line, which the new key would take away) leaves the file as it is, with RB411."""
    path = rules / "r.yaml"
    text = "groups:\n- rules:\n  - alert: QueueBacklog\n    expr: |+\n      up == 0\n\n"
    path.write_text(text)
    code, lines = annotate(str(path))
    assert code == 1
    assert lines == [
        "rules/r.yaml:3:5: error RB411 the runbook_url of QueueBacklog cannot be written without"
        " changing something else in this file: write it by hand (QueueBacklog:"
        " https://runbooks.example.com/runbooks/queues/#stalled)",
        "1 error(s), 0 warning(s)",
    ]
    assert path.read_text() == text


def test_unreadable_file_is_reported(rules: Path) -> None:
    path = rules / "bad.yaml"
    path.write_text("groups: [\n")
    code, lines = annotate(str(path))
    assert code == 1
    assert lines[0].startswith("rules/bad.yaml:2:1: error RB401 not YAML")


def test_site_url_is_required() -> None:
    result = CliRunner().invoke(main, ["alerts", "annotate", str(ALERTS / "rules")])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("url", "style", "written"),
    [
        ("https://a.example/x/#y", "", "https://a.example/x/#y"),
        ("https://a.example/x/#y", "'", "'https://a.example/x/#y'"),
        ("https://a.example/x/#y", '"', '"https://a.example/x/#y"'),
        ("https://a.example/it's", "'", "'https://a.example/it''s'"),
        ("https://a.example/ #x", "", '"https://a.example/ #x"'),
    ],
)
def test_quoting(url: str, style: str, written: str) -> None:
    assert quoted(url, style) == written


def test_only_declared_alerts_change() -> None:
    site = load_site([RUNBOOKS])
    text = (ALERTS / "rules" / "thanos-alerts.yaml").read_text()
    done = annotate_file(parse_rules(text, "t.yaml"), Links(site, SITE))
    assert done.alerts == ("ThanosCompactHalted",)
    changed = [
        (a, b) for a, b in zip(text.splitlines(), done.after.splitlines(), strict=True) if a != b
    ]
    assert changed == [
        (
            "      runbook_url: https://github.com/example/thanos/tree/main/mixin/runbook.md"
            "#alert-name-thanoscompacthalted",
            "      runbook_url: https://runbooks.example.com/runbooks/queues/#dead-letters",
        )
    ]
