"""`runbookgen alerts check`: rule files against the runbooks, in-process.

tests/fixtures/alerts/ holds hand-written rule files shaped like the real ones (see its
README.md) and a runbook set that declares some of their alerts. With RUNBOOKGEN_CORPUS naming a
folder holding the real rule files of tests/fixtures/sources/rules.yaml, they are checked too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.commands.alerts.rules import parse_rules, read_rules
from tests.conftest import FIXTURES

ALERTS = FIXTURES / "alerts"
RULES = ALERTS / "rules"
RUNBOOKS = ALERTS / "runbooks"
SITE = "https://runbooks.example.com/"
R = "tests/fixtures/alerts/rules/"


def run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output.splitlines()


def check(*args: str) -> tuple[int, list[str]]:
    return run("alerts", "check", *args, "--runbooks", str(RUNBOOKS))


def quiet(tmp_path: Path) -> str:
    """A runbook folder that declares no alert."""
    folder = tmp_path / "quiet"
    folder.mkdir()
    (folder / "q.yaml").write_text("id: quiet\ntitle: Quiet\n")
    return str(folder)


def where(lines: list[str]) -> list[str]:
    """`path:line:col: severity CODE` of each diagnostic line."""
    return [" ".join(line.split(" ")[:3]) for line in lines if re.match(r"\S+:\d+:\d+: ", line)]


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES.parent.parent)  # paths in diagnostics are relative to the repo


def test_every_problem_at_its_place() -> None:
    code, lines = check(str(RULES), "--site-url", SITE)
    assert code == 1
    assert where(lines) == [
        f"{R}crlf.yaml:4:5: error RB403",
        f"{R}odd-shapes.yaml:9:13: warning RB404",
        f"{R}odd-shapes.yaml:28:29: error RB405",
        f"{R}odd-shapes.yaml:31:13: warning RB404",
        f"{R}odd-shapes.yaml:35:14: warning RB404",
        f"{R}odd-shapes.yaml:40:29: error RB406",
        f"{R}odd-shapes.yaml:43:13: warning RB404",
        f"{R}platform-prometheusrule.yaml:27:22: warning RB407",
        f"{R}platform-prometheusrule.yaml:75:7: error RB403",
        f"{R}platform-prometheusrule.yaml:96:22: note RB410",
        f"{R}platform-prometheusrule.yaml:105:22: error RB406",
        f"{R}platform-prometheusrule.yaml:113:22: error RB405",
        f"{R}thanos-alerts.yaml:7:20: note RB410",
        f"{R}thanos-alerts.yaml:16:20: note RB410",
        f"{R}thanos-alerts.yaml:27:20: note RB410",
        "tests/fixtures/alerts/runbooks/queues.yaml:14:9: warning RB408",
    ]
    assert lines[-1] == "6 error(s), 6 warning(s), 4 note(s)"


def test_an_alert_declared_twice() -> None:
    """The second declaration is reported; the alert then answers to neither runbook."""
    twice = str(ALERTS / "twice")
    code, lines = check(str(RULES / "odd-shapes.yaml"), "--site-url", SITE, "--runbooks", twice)
    assert code == 1
    assert (
        "tests/fixtures/alerts/runbooks/queues.yaml:6:14: error RB409 alert QueueStalled is also"
        " declared by queues-copy#stalled (tests/fixtures/alerts/twice/queues-copy.yaml): an alert links"
        " to one runbook; keep one declaration, or give each its labels"
        " (`{name: ..., labels: {severity: critical}}`)"
    ) in lines
    assert not [line for line in lines if "QueueStalled's" in line]


def test_messages_say_what_to_do() -> None:
    _, lines = check(str(RULES), "--site-url", SITE)
    assert (
        f"{R}platform-prometheusrule.yaml:105:22: error RB406 #no-such-procedure is no anchor of"
        " runbook prometheus's page (its procedures: #bad-config): link to one of them, or to the"
        " page; the runbook's URL is https://runbooks.example.com/runbooks/prometheus/#bad-config"
        " (`runbookgen alerts annotate` writes it)"
    ) in lines
    assert (
        f"{R}platform-prometheusrule.yaml:75:7: error RB403 critical alert KubeAPIDown has no"
        " runbook_url: runbook apiserver answers it; `runbookgen alerts annotate` writes it"
    ) in lines
    assert (
        "tests/fixtures/alerts/runbooks/queues.yaml:14:9: warning RB408 runbook queues#disk"
        ' declares alert QueueRetired{team="queues"}, which no rule given defines: fix the name'
        " (as the rule's `alert:` writes it), or give the rule file that defines it"
    ) in lines


def test_templates_are_understood() -> None:
    """`{{ $labels.namespace }}` in the path is a pattern that fits the declaring runbook's
    page; the query carries values; the kube-prometheus alert-name URL of an alert no runbook
    declares is not a broken link; `{{ $externalURL }}` is another site."""
    _, lines = check(str(RULES / "platform-prometheusrule.yaml"), "--site-url", SITE)
    text = "\n".join(lines)
    assert "KubeDeploymentReplicasMismatch" not in text
    assert "KubePodCrashLooping" not in text
    assert "KubeAPIErrorBudgetBurn" not in text  # two rules, one declaration without labels
    assert ":96:22: note RB410 PrometheusBadConfig's runbook_url points at another site" in text


def test_alert_name_url_not_declared_is_not_flagged(tmp_path: Path) -> None:
    rules = tmp_path / "r.yaml"
    rules.write_text(
        "groups:\n- name: g\n  rules:\n  - alert: NodeClockSkewDetected\n    expr: up == 0\n"
        "    annotations:\n"
        "      runbook_url: https://runbooks.example.com/runbooks/node/nodeclockskewdetected\n"
    )
    args = ["--runbooks", quiet(tmp_path), "--site-url", SITE]
    assert run("alerts", "check", str(rules), *args) == (0, [])


def test_without_site_url_only_presence_and_declarations() -> None:
    code, lines = check(str(RULES))
    assert code == 1
    assert {line.split(" ")[2] for line in where(lines)} == {"RB403", "RB404", "RB408"}


def test_missing_levels_are_options() -> None:
    code, lines = check(
        str(RULES / "crlf.yaml"), "--missing-critical", "warning", "--site-url", SITE
    )
    assert code == 0
    assert where(lines)[0] == f"{R}crlf.yaml:4:5: warning RB403"
    code, lines = check(str(RULES / "crlf.yaml"), "--missing-critical", "off", "--strict")
    assert not [line for line in lines if "RB403" in line]
    code, lines = check(str(RULES / "odd-shapes.yaml"), "--missing", "error", "--critical", "x")
    assert f"{R}odd-shapes.yaml:9:13: error RB404" in where(lines)
    assert f"{R}odd-shapes.yaml:18:13: error RB404" not in where(lines)  # has a URL


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    rules = tmp_path / "r.yaml"
    rules.write_text("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n")
    args = ["alerts", "check", str(rules), "--runbooks", quiet(tmp_path)]
    assert run(*args)[0] == 0
    assert run(*args, "--strict")[0] == 1


def test_github_and_json_formats() -> None:
    _, lines = check(str(RULES / "crlf.yaml"), "--format", "github")
    assert [line for line in lines if "crlf" in line] == [
        f"::error file={R}crlf.yaml,line=4,col=5,title=RB403 Critical alert without runbook_url"
        "::critical alert DiskFull has no runbook_url: runbook queues#disk answers it;"
        " `runbookgen alerts annotate --site-url URL` writes it"
    ]
    code, lines = check(str(RULES / "crlf.yaml"), "--format", "json")
    report = json.loads("\n".join(lines))
    assert code == 1 and report["status"] == "failed"
    assert [
        (d["line"], d["col"], d["code"]) for d in report["diagnostics"] if "crlf" in d["path"]
    ] == [(4, 5, "RB403")]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("alerts", "check")[0] == 2
    assert run("alerts", "check", str(tmp_path / "none.yaml"))[0] == 2
    assert run("alerts", "check", str(RULES), "--missing", "loud")[0] == 2


def test_runbooks_default_to_runbooks_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(RUNBOOKS, tmp_path / "runbooks")
    shutil.copy(RULES / "crlf.yaml", tmp_path / "crlf.yaml")
    monkeypatch.chdir(tmp_path)
    code, lines = run("alerts", "check", "crlf.yaml")
    assert where(lines)[0] == "crlf.yaml:4:5: error RB403"
    assert where(lines)[1] == "runbooks/apiserver.yaml:3:10: warning RB408"
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    code, lines = run("alerts", "check", "../crlf.yaml")
    assert code == 2
    assert lines[-1] == "Error: no runbooks/ folder here: give the runbooks with --runbooks"


def test_runbooks_with_errors_exit_1(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: Bad Id\ntitle: B\n")
    code, lines = run("alerts", "check", str(RULES), "--runbooks", str(tmp_path))
    assert code == 1
    assert "error RB103" in lines[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"groups: [unclosed",
            "r.yaml:1:9: error RB401 not YAML: did not find expected ',' or ']'",
        ),
        (b"\xff\xfe binary", "r.yaml:0:0: error RB401 not UTF-8 (byte 0): is this a rule file?"),
        (
            b"- a\n- b\n",
            "r.yaml:1:1: error RB402 a rule file is a mapping with `groups:` (or a PrometheusRule)",
        ),
        (
            b"name: x\n",
            "r.yaml:1:1: error RB402 no `groups:` (or a PrometheusRule's `spec.groups`): is this a rule file?",
        ),
        (
            b"groups: {a: 1}\n",
            "r.yaml:1:9: error RB402 `groups:` is a list of groups (`- name: ...` with `rules:`)",
        ),
        (
            b"groups:\n- name: g\n",
            "r.yaml:2:3: error RB402 a group is a mapping with `name:` and `rules:`",
        ),
        (
            b"groups:\n- name: g\n  rules: x\n",
            "r.yaml:3:10: error RB402 `rules:` is a list of rules (`- alert: ...` or `- record: ...`)",
        ),
        (
            b"groups:\n- rules:\n  - expr: x\n",
            "r.yaml:3:5: error RB402 a rule has neither `alert:` nor `record:`",
        ),
        (
            b"groups:\n- rules:\n  - alert: [x]\n",
            "r.yaml:3:12: error RB402 `alert:` is the alert's name, a text",
        ),
        (
            b"kind: PrometheusRule\nspec: {}\n",
            "r.yaml:1:1: error RB402 no `spec.groups:`: is this a rule file?",
        ),
        (
            b"groups:\n- rules:\n  - alert: A\n    annotations: {runbook_url: [1]}\n",
            "r.yaml:4:32: error RB402 `runbook_url:` is a URL, a text",
        ),
        (b"[" * 100_000, "r.yaml:"),
    ],
)
def test_bad_rule_files_are_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("r.yaml").write_bytes(content)
    code, lines = check("r.yaml")
    assert code == 1
    assert [line for line in lines if line.startswith(expected)], lines


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024)
    found = read_rules(big, name="big.yaml")
    assert [str(d) for d in found.diagnostics] == [
        "big.yaml:0:0: error RB401 file is 52,428,800 bytes, over the limit of 8,388,608 for a rule file"
    ]


def test_recording_rules_and_other_objects_are_skipped() -> None:
    found = read_rules(RULES / "platform-prometheusrule.yaml", name="p.yaml")
    assert found.diagnostics == ()
    assert [r.name for r in found.rules] == [
        "KubePodCrashLooping",
        "KubePodNotReady",
        "KubeDeploymentReplicasMismatch",
        "KubeAPIErrorBudgetBurn",
        "KubeAPIErrorBudgetBurn",
        "KubeAPIDown",
        "PrometheusBadConfig",
        "PrometheusRuleFailures",
        "PrometheusTargetSyncFailure",
    ]
    assert found.rules[6].doc == 1 and found.rules[6].route == ("spec", "groups", 0, "rules", 0)


def test_folded_url_and_positions() -> None:
    found = read_rules(RULES / "odd-shapes.yaml", name="o.yaml")
    lag = next(r for r in found.rules if r.name == "QueueConsumerLag")
    assert (
        lag.url is not None and lag.url.text == "https://runbooks.example.com/runbooks/queues-old/"
    )
    assert (lag.line, lag.col, lag.url.style) == (23, 13, ">")
    assert found.indent == 3


def test_empty_file_has_no_rules() -> None:
    assert parse_rules("", "e.yaml").rules == () and parse_rules("", "e.yaml").diagnostics == ()


# ---- Real rule files ------------------------------------------------------------------------

SOURCES = yaml.safe_load((FIXTURES / "sources" / "rules.yaml").read_text(encoding="utf-8"))
REAL = [e for e in SOURCES if e["format"] in ("prometheus", "prometheusrule")]
REAL_RUNBOOKS = ALERTS / "real-runbooks"
COVERED = {
    "AlertmanagerFailedReload",
    "NodeFilesystemSpaceFillingUp",
    "KubePodCrashLooping",
    "ThanosCompactHalted",
    "WhitehallErrorRatioTooHigh",
    "RouterErrorRatioTooHigh",
    "MCDPivotError",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    if not os.environ.get("RUNBOOKGEN_CORPUS"):
        pytest.skip("RUNBOOKGEN_CORPUS not set")
    folder = tmp_path / "rules"
    folder.mkdir()
    for entry in REAL:
        original = Path(os.environ["RUNBOOKGEN_CORPUS"]) / entry["file"]
        assert original.is_file(), f"{original} is missing from RUNBOOKGEN_CORPUS"
        shutil.copy(original, folder / entry["file"])
    return folder


def test_real_files_read_as_listed(corpus: Path) -> None:
    for entry in REAL:
        found = read_rules(corpus / entry["file"], name=entry["file"])
        assert found.diagnostics == ()
        assert len(found.rules) == entry["alerting_rules"], entry["file"]
        assert sum(r.url is not None for r in found.rules) == entry["with_runbook_url"]


def test_real_files_annotated_then_checked(corpus: Path) -> None:
    """After `annotate`, the report names exactly the alerts no runbook declares, and the files
    changed only in the lines of the covered alerts' runbook_url."""
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    args = ["--runbooks", str(REAL_RUNBOOKS)]
    code, _ = run("alerts", "annotate", str(corpus), "--site-url", SITE, *args)
    assert code == 0
    code, lines = run("alerts", "check", str(corpus), "--site-url", SITE, *args)
    found = [line for line in lines if re.match(r"\S+:\d+:\d+: ", line)]
    said = (re.search(r" (?:alert )?(\w+)(?:'s runbook_url| has no)", line) for line in found)
    named = {m[1] for m in said if m}
    rules = [r for p in corpus.iterdir() for r in read_rules(p, name=p.name).rules]
    # The runbooks declare NodeFilesystemSpaceFillingUp for severity critical only.
    uncovered = [
        r
        for r in rules
        if r.name not in COVERED
        or (r.name == "NodeFilesystemSpaceFillingUp" and r.severity != "critical")
    ]
    assert named == {r.name for r in uncovered}
    assert len(found) == len(uncovered)
    assert {line.split(" ")[2] for line in found} <= {"RB403", "RB404", "RB410"}
    for name, old in before.items():
        _only_url_lines_changed(old.decode(), (corpus / name).read_text(encoding="utf-8"))


def _only_url_lines_changed(old: str, new: str) -> None:
    import difflib

    for line in difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)):
        if line[:2] in ("- ", "+ "):
            assert (
                "runbook_url" in line
                or line[2:].strip() in ("annotations:", "")
                or line.lstrip("-+ ").startswith("https://")
            ), line
