"""Runbook pages are searched through entries made from the model: small, and pointing at anchors
the pages have."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from generator.core.loader import Document
from generator.core.model import build_runbook
from generator.plugin import assets as plugin_assets
from generator.plugin.assets import SearchEntries
from generator.render.layout import FIXED_ANCHORS, step_anchors
from generator.run import workers as workers_module
from generator.run.workers import PARALLEL_MIN_FILES
from generator.search.entries import search_entries, splitter
from generator.search.index import KEYWORDS, TEXT, TITLE, build_index, index_part, join

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


def built_index(site: Path) -> dict[str, Any]:
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert data["docs"] == []  # Material's worker is not asked to index anything
    index: dict[str, Any] = data["config"]["runbookgen"]
    return index


def locations(index: dict[str, Any]) -> list[str]:
    pages = index["pages"]
    return [pages[p] + (f"#{anchor}" if anchor else "") for p, anchor, _, _ in index["docs"]]


def postings(index: dict[str, Any], word: str) -> dict[str, int]:
    """location → fields where *word* is, decoded from the index."""
    where, number = {}, 0
    for value in index["postings"][index["terms"].index(word)]:
        number += value >> 3
        where[locations(index)[number]] = value & 7
    return where


def test_index_entries_point_at_anchors_of_the_built_pages(fixture_site: Path) -> None:
    site = fixture_site / "site"
    found = [loc for loc in locations(built_index(site)) if loc.startswith("runbooks/")]
    assert found
    for location in found:
        page, _, anchor = location.partition("#")
        html = (site / page / "index.html").read_text(encoding="utf-8")
        if anchor:
            assert re.search(rf'\sid="{re.escape(anchor)}"', html), location


def test_index_holds_commands_and_symptoms_not_boilerplate(fixture_site: Path) -> None:
    index = built_index(fixture_site / "site")
    assert len(locations(index)) == len(set(locations(index)))
    assert index["terms"] == sorted(set(index["terms"]))
    idle = "runbooks/db-connections/#idle-connections"
    for word in ("pg", "stat", "activity", "connection", "timeouts"):  # command and symptom
        assert postings(index, word)[idle] & KEYWORDS, word
    # In the fixtures, only in a template's body (and in the format page's example of one).
    assert not [x for x in postings(index, "investigating") if x.startswith("runbooks/")]
    assert "the" not in index["terms"]  # stop words


def test_catalogue_pages_have_one_entry(fixture_site: Path) -> None:
    found = locations(built_index(fixture_site / "site"))
    for page in ("symptoms/", "escalation/", "services/postgres/"):  # a service's page too
        assert [loc for loc in found if loc.partition("#")[0] == page] == [page]


def test_every_page_asks_our_search_worker(fixture_site: Path) -> None:
    site = fixture_site / "site"
    pages = sorted(site.rglob("*.html"))
    assert site / "404.html" in pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "workers/search." not in html, page
        assert "assets/runbooks/search-worker.js" in html, page
    assert (site / "assets" / "runbooks" / "search-worker.js").is_file()


def test_build_index_encodes_gaps_and_fields() -> None:
    entries = [
        {"location": "a/", "title": "Disk <code>full</code>", "text": "The disk &amp; logs"},
        {"location": "a/#clean", "title": "Clean", "keywords": "rm logs"},
        {"location": "b/", "title": "Logs", "text": "x" * 300},
    ]
    index = build_index(entries, str.split)
    assert index["pages"] == ["a/", "b/"]
    assert index["docs"][0] == [
        0,
        "",
        "Disk <code>full</code>",
        "The disk &amp; logs",
    ]
    assert len(index["docs"][2][3]) <= 160
    assert postings(index, "logs") == {"a/": TEXT, "a/#clean": KEYWORDS, "b/": TITLE}
    assert postings(index, "full") == {"a/": TITLE}  # markup is not a word
    assert "the" not in index["terms"] and "&amp;" not in index["terms"]


def test_index_joined_from_parts_is_the_index_made_in_one_go() -> None:
    """Parts made apart (the runbooks' in a background process) join into the same index,
    wherever the entries are cut and whichever terms each part has."""
    words = ["disk", "logs", "kubectl", "rollout", "status", "queries"]
    entries = [
        {
            "location": f"p{i % 7}/" + (f"#a{i}" if i % 3 else ""),
            "title": words[i % 5],
            "text": " ".join(words[(i * j) % 6] for j in range(i % 4)),
            "keywords": words[(i + 2) % 6] if i % 2 else "",
        }
        for i in range(40)
    ]
    whole = build_index(entries, str.split)
    for cuts in ([0], [40], [1, 39], [5, 17, 18, 30], list(range(40))):
        bounds = [0, *cuts, 40]
        parts = [index_part(entries[a:b], str.split) for a, b in pairwise(bounds)]
        assert join(parts) == whole, cuts


def test_the_runbooks_part_is_made_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`start` makes the runbooks' part in a forked process and `apply` takes it; for other
    pages than it was made for, `apply` makes it itself."""
    monkeypatch.setattr(
        workers_module.threading, "active_count", lambda: 1
    )  # see test_plugin_pages
    runbook = build_runbook(Document("r.yaml", RUNBOOK))
    runbooks = {f"runbooks/r{i}/": runbook for i in range(PARALLEL_MIN_FILES)}
    index_file = tmp_path / "search_index.json"
    material = {"config": {"separator": r"[\s\-]+"}, "docs": [{"location": "", "title": "Home"}]}

    def applied(search: SearchEntries) -> Any:
        index_file.write_text(json.dumps(material), encoding="utf-8")
        for url, made in runbooks.items():
            search.add_runbook(made, url)
        return json.loads(search.apply(index_file) or "")

    in_process = applied(SearchEntries())
    search = SearchEntries()
    search.start(runbooks, r"[\s\-]+")
    assert search.background is not None
    made_here: list[object] = []
    made = plugin_assets.runbooks_part

    def spy(*args: Any) -> Any:
        made_here.append(args)
        return made(*args)

    monkeypatch.setattr(plugin_assets, "runbooks_part", spy)
    assert applied(search) == in_process and not made_here and search.background is None
    search.start({**runbooks, "runbooks/other/": runbook}, r"[\s\-]+")  # not the pages built
    assert applied(search) == in_process and made_here


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
