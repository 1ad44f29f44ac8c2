"""Words as search reads them (generator/search/analysis.py): stems, synonyms and phrases, the
same in the index (Python) and in the browser's worker (JavaScript, run by node)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.search.analysis import (
    DERIVED,
    PHRASE_KEYS,
    SYNONYMS,
    key,
    phrase_keys,
    stem,
)
from generator.search.entries import splitter
from generator.search.index import build_index
from tests.search_js import SearchJS, corpus_index, site_separator
from tests.test_search_queries import CORPUS


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (("restart", "restarts", "restarted", "restarting"), True),
        (("scale", "scaled", "scaling", "scales"), True),
        (("query", "queries"), True),
        (("deploy", "deployment", "deployments", "deploying"), True),
        (("connect", "connection", "connections"), True),
        (("fail", "failed", "failing", "failure", "failures"), True),
        (("status", "statuses"), True),
        (("process", "processes"), True),
        (("roll", "rolled", "rolling"), True),
        (("back", "backend"), False),
        (("redis", "redi"), False),
        (("speed", "sped"), False),
    ],
)
def test_forms_of_a_word_share_a_stem(words: tuple[str, ...], same: bool) -> None:
    assert (len({stem(w) for w in words}) == 1) is same, [stem(w) for w in words]


def test_words_with_digits_or_signs_are_kept() -> None:
    assert [stem(w) for w in ("k8s", "5xx", "v1.2", "pg_stat", "ssh", "dns")] == [
        "k8s",
        "5xx",
        "v1.2",
        "pg_stat",
        "ssh",
        "dns",
    ]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("db", "databases"),
        ("k8s", "kubernetes"),
        ("pg", "postgresql"),
        ("cert", "certificates"),
        ("lb", "loadbalancer"),
        ("500", "5xx"),
        ("coredns", "dns"),
    ],
)
def test_synonyms_share_a_key(typed: str, written: str) -> None:
    assert key(typed) == key(written)


def test_a_word_is_in_one_synonym_group() -> None:
    stems = [stem(w) for group in SYNONYMS for w in group if " " not in w]
    assert len(stems) == len(set(stems))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("we rolled back the release", ["rollback"]),
        ("roll back", ["rollback"]),
        ("the pod ran out of memory", ["oom"]),
        ("DBA on-call", ["oncall"]),
        ("connection timed out", ["timeout"]),
        ("update the load balancer", ["lb"]),
        ("the backend came back", []),
    ],
)
def test_phrases(text: str, found: list[str]) -> None:
    words = [w.lower() for w in splitter(site_separator())(text) if w]
    assert [k for _, _, k in phrase_keys(words)] == [key(w) for w in found]


def test_the_index_holds_phrases_and_words_cut_inside() -> None:
    entries = [
        {"location": "a/", "title": "Rolled back", "text": "Pods in CrashLoopBackOff"},
        {"location": "b/", "title": "Backend", "keywords": "kubectl", "phrases": "rollback"},
    ]
    index = build_index(entries, splitter(site_separator()))
    terms = index["terms"]
    assert f"{DERIVED}rollback" in terms  # a phrase's key, which no typed word can match
    assert {"crashloopbackoff", "crash", "loop", "back", "backend"} <= set(terms)
    assert index["analysis"]["phrases"] == PHRASE_KEYS  # the worker's rules


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchJS]:
    index_file = tmp_path_factory.mktemp("analysis") / "search_index.json"
    index_file.write_text(json.dumps(corpus_index(CORPUS, site_separator())), encoding="utf-8")
    found = SearchJS(index_file)
    yield found
    found.close()


def test_the_worker_reads_words_as_the_index_does(worker: SearchJS, tmp_path: Path) -> None:
    index = corpus_index(CORPUS, site_separator())["config"]["runbookgen"]
    words = [t for t in index["terms"] if not t.startswith(DERIVED)]
    words += [w for group in SYNONYMS for member in group for w in member.split()]
    answer = worker.analyse(words)
    assert answer["stems"] == [stem(w) for w in words]
    assert answer["keys"] == [key(w) for w in words]


def test_the_worker_finds_the_phrases_the_index_does(worker: SearchJS) -> None:
    for group in SYNONYMS:
        for member in group:
            words = ["then", *member.split(), "again"]
            assert worker.analyse(words)["phrases"] == [list(p) for p in phrase_keys(words)]
