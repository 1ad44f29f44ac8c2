"""`runbookgen urls`: the stable URL of every runbook and procedure, in-process."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.conftest import FIXTURES

VALID = str(FIXTURES / "valid")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_text() -> None:
    code, out = run("urls", "--site-url", "https://rb.example.com", VALID)
    assert code == 0
    assert out.splitlines() == [
        "db-connections\thttps://rb.example.com/runbooks/db-connections/",
        "db-connections#idle-connections\thttps://rb.example.com/runbooks/db-connections/#idle-connections",
    ]


def test_json() -> None:
    code, out = run("urls", "--site-url", "https://rb.example.com/docs/", "--format", "json", VALID)
    assert code == 0
    assert json.loads(out) == {
        "db-connections": "https://rb.example.com/docs/runbooks/db-connections/",
        "db-connections#idle-connections": "https://rb.example.com/docs/runbooks/db-connections/#idle-connections",
    }


def test_site_url_is_required() -> None:
    code, out = run("urls", VALID)
    assert code == 2
    assert "Missing option '--site-url'" in out


def test_invalid_runbook_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: Bad Id\ntitle: B\n")  # not an id
    code, out = run("urls", "--site-url", "https://rb.example.com", str(tmp_path))
    assert code == 1
    assert "error" in out


def test_page_url_is_the_one_mkdocs_gives() -> None:
    """`page_url` says what MkDocs makes of a runbook page's path, without asking MkDocs."""
    from mkdocs.structure.files import File

    from generator.render.markdown import page_path, page_url

    for runbook_id in ("db-connections", "a", "x-1-y", "0abc"):
        file = File(page_path(runbook_id), src_dir=None, dest_dir="", use_directory_urls=True)
        assert page_url(runbook_id) == file.url


def test_alerts_follow_the_pages() -> None:
    """Each alert a runbook declares, by its matcher, → the page or procedure declaring it."""
    runbooks = str(FIXTURES / "alerts" / "runbooks")
    code, out = run("urls", "--site-url", "https://rb.example.com", runbooks)
    assert code == 0
    lines = out.splitlines()
    assert lines[
        lines.index("queues#disk\thttps://rb.example.com/runbooks/queues/#disk") + 1 :
    ] == [
        'alert:DiskFull{severity="critical"}\thttps://rb.example.com/runbooks/queues/#disk',
        "alert:KubeAPIDown\thttps://rb.example.com/runbooks/apiserver/",
        "alert:KubeAPIErrorBudgetBurn\thttps://rb.example.com/runbooks/apiserver/#error-budget",
        "alert:KubeDeploymentReplicasMismatch\thttps://rb.example.com/runbooks/payments-deployments/#replicas",
        "alert:KubePodCrashLooping\thttps://rb.example.com/runbooks/pod-crashloop/#crash-looping",
        "alert:KubePodNotReady\thttps://rb.example.com/runbooks/pod-crashloop/#not-ready",
        "alert:PrometheusBadConfig\thttps://rb.example.com/runbooks/prometheus/#bad-config",
        "alert:PrometheusRuleFailures\thttps://rb.example.com/runbooks/prometheus/#bad-config",
        "alert:QueueAnnotationsEmpty\thttps://rb.example.com/runbooks/queues/#stalled",
        "alert:QueueBacklog\thttps://rb.example.com/runbooks/queues/#stalled",
        "alert:QueueConsumerLag\thttps://rb.example.com/runbooks/queues/#stalled",
        "alert:QueueDeadLetters\thttps://rb.example.com/runbooks/queues/#dead-letters",
        "alert:QueueOffline\thttps://rb.example.com/runbooks/queues/#stalled",
        'alert:QueueRetired{team="queues"}\thttps://rb.example.com/runbooks/queues/#disk',
        "alert:QueueSlowAck\thttps://rb.example.com/runbooks/queues/#dead-letters",
        "alert:QueueStalled\thttps://rb.example.com/runbooks/queues/#stalled",
        "alert:ThanosCompactHalted\thttps://rb.example.com/runbooks/queues/#dead-letters",
    ]
    code, out = run("urls", "--site-url", "https://rb.example.com", "--format", "json", runbooks)
    links = json.loads(out)
    assert links["alert:KubeAPIDown"] == "https://rb.example.com/runbooks/apiserver/"
    assert links["apiserver"] == "https://rb.example.com/runbooks/apiserver/"
