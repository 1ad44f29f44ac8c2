"""Incident queries typed as tired people type them, against the real index and the real ranking.

The corpus: the project's runbooks, the real public runbooks of tests/fixtures/real and the
valid fixtures (13 runbooks, four titled "Incident Response Runbook ..."). The index is the one
the build makes of them (`generator.search`); the ranking is the site's worker
(generator/assets/search-worker.js), run by node. Each query names the places that answer it
(`runbook-id#anchor`, or `runbook-id` for the page itself); one of them must be among the first
three results. `python -m bench.search_quality` prints the top-1 and top-3 counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.search.entries import splitter
from generator.search.index import build_index
from tests.conftest import FIXTURES, ROOT
from tests.search_js import SearchJS, corpus_index, site_separator

CORPUS = (ROOT / "runbooks", FIXTURES / "real", FIXTURES / "valid")
HOTSWAP, HAFNIUM, COMPOSE, AKAIND, INFLOW = (
    f"{name}-incident-response" for name in ("hotswap", "hafnium", "compose", "akaind", "inflow")
)
CERTS, PV, DURING = (
    "cert-manager-troubleshooting",
    "kubepersistentvolumefillingup",
    "during-an-incident",
)
DB = "db-connections"
ESCALATION = "#rb-escalation"

# (query as typed, the places that answer it)
QUERIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # stems: the word as the runbook writes it, in another form
    ("restarting pods", (f"{HOTSWAP}#option-c-restart-affected-services",)),
    ("pods restarting", (f"{HOTSWAP}#option-c-restart-affected-services", f"{HOTSWAP}#api-outage")),
    ("scaling up replicas", (f"{HOTSWAP}#option-b-scale-up-resources",)),
    (
        "unsealing vault",
        (f"{HOTSWAP}#get-unseal-keys-stored-securely", f"{HOTSWAP}#if-vault-sealed"),
    ),
    ("cert not renewing", (f"{CERTS}#failed-certificate-request",)),
    ("resize pvc", (f"{PV}#direct-volume-resizing",)),
    (
        "killing idle connections",
        (
            f"{DB}#if-idle-connections-hold-the-pool",
            f"{COMPOSE}#database-connection-issues",
            f"{HOTSWAP}#if-database-connection-pool-exhausted",
        ),
    ),
    ("crashed postgres pod", (f"{HOTSWAP}#if-postgresql-pod-crashed",)),
    ("jwt validation failing", (f"{HOTSWAP}#vault-sealed",)),
    # rollback, roll back, rolled back: one word; backend is not back
    (
        "roll back",
        (
            f"{HAFNIUM}#rollback",
            f"{HAFNIUM}#kubernetes-rollback",
            f"{HOTSWAP}#option-a-rollback-recent-deployment",
        ),
    ),
    (
        "rolled back deployment",
        (
            f"{HOTSWAP}#option-a-rollback-recent-deployment",
            f"{HAFNIUM}#kubernetes-rollback",
            f"{AKAIND}#if-recent-deployment",
        ),
    ),
    (
        "roll back db migration",
        (f"{HAFNIUM}#database-migration-rollback", f"{HOTSWAP}#if-database-migration-failed"),
    ),
    ("k8s roll back", (f"{HAFNIUM}#kubernetes-rollback",)),
    (
        "rollout undo",
        (
            f"{HOTSWAP}#option-a-rollback-recent-deployment",
            f"{AKAIND}#if-recent-deployment",
            f"{INFLOW}#mitigate",
            f"{DB}#mitigate",
        ),
    ),
    # synonyms
    ("db down", (f"{HOTSWAP}#database-outage",)),
    (
        "pg too many connections",
        (
            f"{DB}#idle-connections",
            f"{AKAIND}#database-connection-exhausted",
            f"{COMPOSE}#database-connection-issues",
        ),
    ),
    ("postgres replication lag", (f"{HOTSWAP}#check-postgresql-status",)),
    (
        "oom",
        (
            f"{HOTSWAP}#if-oom",
            f"{COMPOSE}#if-the-container-was-oom-killed",
            f"{COMPOSE}#high-memory-usage",
        ),
    ),
    (
        "out of memory",
        (
            f"{HOTSWAP}#if-oom",
            f"{COMPOSE}#if-the-container-was-oom-killed",
            f"{COMPOSE}#high-memory-usage",
            f"{HOTSWAP}#api-outage",
        ),
    ),
    (
        "container out of memory killed",
        (
            f"{COMPOSE}#if-the-container-was-oom-killed",
            f"{COMPOSE}#if-the-container-keeps-crashing",
            f"{COMPOSE}#high-memory-usage",
        ),
    ),
    ("kubernetes pvc filling up", (f"{PV}#volume-filling-up", PV)),
    ("k8s volume full", (f"{PV}#volume-filling-up", PV)),
    ("certificate request failed", (f"{CERTS}#failed-certificate-request",)),
    (
        "500 errors",
        (
            f"{AKAIND}#marketing-site-down",
            f"{HOTSWAP}#api-outage",
            f"{COMPOSE}#service-not-responding",
        ),
    ),
    ("503", (f"{COMPOSE}#service-not-responding", f"{HOTSWAP}#option-d-enable-maintenance-mode")),
    ("lb maintenance page", (f"{HOTSWAP}#option-d-enable-maintenance-mode",)),
    ("timed out errors", (f"{HOTSWAP}#if-timeout-errors",)),
    ("db connection timed out", (f"{HAFNIUM}#database-postgresql", f"{DB}#idle-connections")),
    ("traffic spike", (f"{INFLOW}#mitigate", f"{AKAIND}#if-high-traffic")),
    ("postmortem template", (f"{AKAIND}#post-mortem-document-template", f"{HOTSWAP}#template")),
    # who to page: contacts and escalation
    ("VP engineering", (f"{HOTSWAP}{ESCALATION}",)),
    ("DBA on-call", (f"{HAFNIUM}{ESCALATION}", f"{COMPOSE}{ESCALATION}", f"{DB}{ESCALATION}")),
    (
        "page the database admin",
        (f"{DB}{ESCALATION}", f"{HAFNIUM}{ESCALATION}", f"{COMPOSE}{ESCALATION}"),
    ),
    ("escalate cto", (f"{HOTSWAP}{ESCALATION}", f"{AKAIND}{ESCALATION}")),
    ("page vp", (f"{INFLOW}{ESCALATION}", f"{DB}{ESCALATION}")),
    ("aws support", (f"{AKAIND}{ESCALATION}",)),
    ("ml on-call", (f"{INFLOW}{ESCALATION}",)),
    ("incident commander", (f"{DURING}#incident-commander",)),
    # words as written, and commands whole and in part
    ("vault sealed", (f"{HOTSWAP}#vault-sealed",)),
    ("kafka consumer lag", (f"{HAFNIUM}#kafka-redpanda", f"{COMPOSE}#kafka-issues")),
    ("redis down", (f"{AKAIND}#redis-down",)),
    ("etcd member down", ("etcdmembersdown#etcd-members-down", "etcdmembersdown")),
    ("thanos compact halted", ("thanos-mixin-alerts#thanos-compact",)),
    (
        "pg_terminate_backend",
        (
            f"{DB}#if-idle-connections-hold-the-pool",
            f"{AKAIND}#if-database-issues",
            f"{COMPOSE}#database-connection-issues",
            f"{HOTSWAP}#if-database-connection-pool-exhausted",
        ),
    ),
    (
        "kubectl rollout undo",
        (
            f"{HOTSWAP}#option-a-rollback-recent-deployment",
            f"{AKAIND}#if-recent-deployment",
            f"{INFLOW}#mitigate",
            f"{DB}#mitigate",
        ),
    ),
    (
        "max_connections",
        (f"{HOTSWAP}#if-connection-limit-reached", f"{COMPOSE}#database-connection-issues"),
    ),
    ("crashloopbackoff", (f"{HOTSWAP}#api-outage",)),
    ("maintenance mode", (f"{HOTSWAP}#option-d-enable-maintenance-mode",)),
    ("flyway undo", (f"{HAFNIUM}#database-migration-rollback",)),
    ("rate limit 429", (f"{AKAIND}#api-rate-limit-exceeded",)),
    # typos
    ("restrat pods", (f"{HOTSWAP}#option-c-restart-affected-services",)),
    ("kuberentes rollback", (f"{HAFNIUM}#kubernetes-rollback",)),
    ("postgress replication", (f"{HOTSWAP}#check-postgresql-status",)),
)


def location(place: str) -> str:
    """A place of QUERIES as the index names it: `runbooks/<id>/#anchor`."""
    runbook, _, anchor = place.partition("#")
    return f"runbooks/{runbook}/" + (f"#{anchor}" if anchor else "")


def rank(found: list[str], places: tuple[str, ...]) -> int | None:
    """The 1-based rank of the first result that answers, or None."""
    wanted = {location(place) for place in places}
    return next((n for n, loc in enumerate(found, 1) if loc in wanted), None)


@pytest.fixture(scope="module")
def search(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchJS]:
    index_file = tmp_path_factory.mktemp("search") / "search_index.json"
    index = corpus_index(CORPUS, site_separator())
    index_file.write_text(json.dumps(index), encoding="utf-8")
    worker = SearchJS(index_file)
    yield worker
    worker.close()


@pytest.mark.parametrize(("query", "places"), QUERIES, ids=[q for q, _ in QUERIES])
def test_query_finds_its_answer_in_the_top_three(
    query: str, places: tuple[str, ...], search: SearchJS
) -> None:
    found = search.ranked(query)
    found_rank = rank(found, places)
    assert found_rank is not None and found_rank <= 3, found[:5]


def test_the_set_is_large_enough() -> None:
    assert len(QUERIES) >= 40
    assert len({q for q, _ in QUERIES}) == len(QUERIES)


def test_every_place_is_in_the_corpus(search: SearchJS, tmp_path: Path) -> None:
    index = corpus_index(CORPUS, site_separator())["config"]["runbookgen"]
    pages = index["pages"]
    locations = {pages[p] + (f"#{a}" if a else "") for p, a, _, _ in index["docs"]}
    missing = [p for _, places in QUERIES for p in places if location(p) not in locations]
    assert missing == []


def test_roll_back_is_rollback_not_backend(search: SearchJS) -> None:
    found = [set(search.ranked(q)) for q in ("rollback", "roll back", "rolled back")]
    assert found[0] == found[1] == found[2]
    backend_only = location(f"{DB}#if-idle-connections-hold-the-pool")  # pg_terminate_backend
    assert backend_only not in found[1]
    assert backend_only not in search.ranked("back ")  # a word typed whole
    assert backend_only in search.ranked("back")  # a word being typed


def test_the_word_as_written_ranks_first(tmp_path: Path) -> None:
    """Exact above the same stem above a synonym, wherever they are in the corpus."""
    entries = [
        {"location": "synonym/", "title": "Database outage"},
        {"location": "stem/", "title": "DB outages"},
        {"location": "exact/", "title": "DB outage"},
        {"location": "restarting/", "title": "Restarting pods"},
        {"location": "restart/", "title": "Restart pods"},
    ]
    split = splitter(site_separator())
    index = {"config": {"separator": site_separator(), "runbookgen": build_index(entries, split)}}
    (tmp_path / "index.json").write_text(json.dumps(index), encoding="utf-8")
    worker = SearchJS(tmp_path / "index.json")
    try:
        assert worker.ranked("db outage") == ["exact/", "stem/", "synonym/"]
        assert worker.ranked("restart pods") == ["restart/", "restarting/"]
        assert worker.ranked("restarting pods") == ["restarting/", "restart/"]
    finally:
        worker.close()
