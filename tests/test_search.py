"""Runbook pages are searched through entries made from the model: small, and pointing at anchors
the pages have."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.loader import Document
from generator.model import build_runbook
from generator.search import FIXED_ANCHORS, search_entries, splitter, step_anchors

STEP = {"title": "Check pods"}
RUNBOOK = {
    "id": "api-latency",
    "title": "API latency",
    "service": "api",
    "owner": "sre",
    "last_reviewed": "2026-11-01",
    "severity": "sev",
    "summary": "When the API is slow.",
    "phases": [
        {
            "id": "check-pods",  # the phase already has the anchor a step would want
            "title": "Triage",
            "steps": [
                STEP,
                STEP,
                {"title": "*Logs* __now__", "commands": [{"run": "kubectl logs <pod>"}]},
                {"text": "No heading", "commands": [{"run": "uptime"}]},
            ],
        }
    ],
    "procedures": [
        {
            "id": "slow-queries",
            "title": "Slow queries",
            "symptoms": ["p99 above 2 s"],
            "resolution": [
                {"when": "the pool is full", "commands": [{"run": "pg_terminate_backend(1)"}]},
                {"text": "Then watch.", "steps": [{"checklist": ["latency back"]}]},
            ],
        }
    ],
}


def test_step_anchors_are_unique_and_plain() -> None:
    anchors = list(step_anchors(build_runbook(Document("r.yaml", RUNBOOK))).values())
    assert anchors == ["check-pods-2", "check-pods-3", "logs-now", "if-the-pool-is-full"]
    assert not set(anchors) & {"api-latency", "check-pods", "slow-queries", *FIXED_ANCHORS}


def test_entries_hold_what_people_search_for() -> None:
    entries = search_entries(build_runbook(Document("r.yaml", RUNBOOK)), "runbooks/api-latency/")
    by_location = {e["location"]: e for e in entries}
    assert list(by_location) == [
        "runbooks/api-latency/",
        "runbooks/api-latency/#check-pods",
        "runbooks/api-latency/#slow-queries",
        "runbooks/api-latency/#check-pods-2",
        "runbooks/api-latency/#check-pods-3",
        "runbooks/api-latency/#logs-now",
        "runbooks/api-latency/#if-the-pool-is-full",
    ]
    assert by_location["runbooks/api-latency/"]["text"] == "When the API is slow."
    # a step without a heading is found through its section; a headed one on its own
    assert "uptime" in by_location["runbooks/api-latency/#check-pods"]["keywords"]
    assert by_location["runbooks/api-latency/#logs-now"]["keywords"] == "kubectl logs &lt;pod&gt;"
    assert by_location["runbooks/api-latency/#logs-now"]["title"] == "*Logs* __now__"
    procedure = by_location["runbooks/api-latency/#slow-queries"]["keywords"]
    assert "p99 above 2 s" in procedure and "latency back" in procedure
    pool = by_location["runbooks/api-latency/#if-the-pool-is-full"]
    assert pool["title"] == "If the pool is full:"
    assert pool["keywords"] == "pg_terminate_backend(1)"


def test_index_entries_point_at_anchors_of_the_built_pages(fixture_site: Path) -> None:
    site = fixture_site / "site"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    runbook_entries = [d for d in index["docs"] if d["location"].startswith("runbooks/")]
    assert runbook_entries
    for entry in runbook_entries:
        page, _, anchor = entry["location"].partition("#")
        html = (site / page / "index.html").read_text(encoding="utf-8")
        if anchor:
            assert re.search(rf'\sid="{re.escape(anchor)}"', html), entry["location"]


def test_runbook_pages_are_indexed_once_and_small(fixture_site: Path) -> None:
    site = fixture_site / "site"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [d["location"] for d in index["docs"]]
    assert len(locations) == len(set(locations))
    pages = {loc.partition("#")[0] for loc in locations if loc.startswith("runbooks/")}
    size = sum(
        len(json.dumps(d)) for d in index["docs"] if d["location"].partition("#")[0] in pages
    )
    assert size / len(pages) < 4096
    text = json.dumps(index)
    assert "Investigating" not in text  # a template's body is not
    # commands are there, cut into words as the search's tokenizer cuts them, each word once
    idle = next(d for d in index["docs"] if d["location"].endswith("#idle-connections"))
    words = idle["keywords"].split()
    assert {"pg", "stat", "activity", "connection", "timeouts"} <= set(words)
    assert len(words) == len(set(words))


def test_catalogue_pages_have_one_entry(fixture_site: Path) -> None:
    index = json.loads((fixture_site / "site" / "search" / "search_index.json").read_text())
    for page in ("symptoms/", "escalation/"):
        entries = [d for d in index["docs"] if d["location"].partition("#")[0] == page]
        assert len(entries) == 1 and entries[0]["title"], entries


def test_splitter_cuts_like_the_search() -> None:
    split = splitter(r"[\s\-_]+|(?!\b)(?=[A-Z][a-z])|\.(?!\d)")
    assert split("kubectl rollout-status lastTimestamp v1.2 a.b") == [
        "kubectl",
        "rollout",
        "status",
        "last",
        "Timestamp",
        "v1.2",
        "a",
        "b",
    ]
    assert splitter("(?<=unclosed")("a b") == ["a", "b"]  # not Python syntax: whitespace
