"""How search reads words, the same at build time (the index) and in the browser (the query).

Someone paged at night types "pods restarting", "roll back", "db down" or "VP engineering";
the runbook says "Restart Affected Services", "rollback", "Database Outage". Each word has a
*key* that both sides compute: its stem (a few suffix rules, not a dictionary: "restarting",
"restarts" and "restarted" are "restart"; "backend" stays "backend", never "back"), then its
synonym group's name ("db" and "databases" are "database"). A few phrases are one word
("rolled back" is "rollback", "out of memory" is "oom"): the index holds each phrase it finds
as a derived term (`DERIVED` + key), and the worker reads a phrase typed as one word.

The rules below are data: the index carries them (`ANALYSIS`), and the worker
(assets/search-worker.js) applies them with a copy of `stem`, `key` and `phrase_keys`;
tests/test_search_analysis.py runs both on the same words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

Split = Callable[[str], list[str]]

# Too common to tell entries apart (lunr's English list, less words that name things on call).
STOP_WORDS = frozenset(
    [
        "a",
        "able",
        "about",
        "across",
        "after",
        "all",
        "almost",
        "also",
        "am",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "dear",
        "did",
        "do",
        "does",
        "either",
        "else",
        "ever",
        "every",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "he",
        "her",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "least",
        "let",
        "like",
        "likely",
        "may",
        "me",
        "might",
        "most",
        "must",
        "my",
        "neither",
        "nor",
        "not",
        "of",
        "off",
        "often",
        "on",
        "only",
        "or",
        "other",
        "our",
        "own",
        "rather",
        "said",
        "say",
        "says",
        "she",
        "should",
        "since",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "tis",
        "to",
        "too",
        "twas",
        "us",
        "wants",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "yet",
        "you",
        "your",
    ]
)
DERIVED = " "  # what begins a derived term: no typed word can, words are cut at spaces

# (suffix, replacement), the first that ends the word applies; a suffix that is its own
# replacement keeps the word ("status", "redis", "process", "speed").
INFLECTIONS = (
    ("sses", "ss"),
    ("ies", "y"),
    ("ied", "y"),
    ("eed", "eed"),
    ("ss", "ss"),
    ("us", "us"),
    ("is", "is"),
    ("s", ""),
    ("ing", ""),
    ("ed", ""),
)
DERIVATIONS = (("ment", ""), ("tion", "t"), ("sion", "s"))  # deployment, connection
IRREGULAR = {"failure": "fail"}  # after the inflections: failures, failure, failed, failing
MIN_STEM = 3  # letters left by an inflection (4 by a derivation), a vowel among them
_STEMMED = re.compile(r"[a-z]{4,}")  # words with digits or signs (k8s, v1.2, 5xx) are kept
_VOWEL = re.compile(r"[aeiouy]")

# Words and phrases that name the same thing in a runbook; the first names the group.
SYNONYMS = (
    ("database", "db"),
    ("postgres", "postgresql", "pg"),
    ("kubernetes", "k8s", "kube"),
    ("oom", "out of memory", "oomkilled"),
    ("memory", "mem", "ram"),
    ("certificate", "cert"),
    ("tls", "ssl"),
    ("dns", "coredns", "nxdomain", "name resolution"),
    ("lb", "load balancer", "load balancing", "loadbalancer"),
    ("5xx", "500", "502", "503", "504"),
    ("429", "rate limit", "too many requests", "throttled"),
    ("dba", "database admin", "database administrator"),
    ("oncall", "on call"),
    ("rollback", "roll back", "revert", "undo"),
    ("rollout", "roll out"),
    ("timeout", "time out"),
    ("failover", "fail over"),
    ("shutdown", "shut down"),
    ("postmortem", "post mortem"),
    ("crashloop", "crash loop"),
    ("hotfix", "hot fix"),
    ("setup", "set up"),
    ("cleanup", "clean up"),
    ("outage", "down", "downtime"),
    ("latency", "slow", "slowness"),
    ("restart", "reboot", "bounce"),
    ("spike", "surge"),
    ("disk", "volume", "storage"),
    ("pv", "persistent volume", "persistentvolume"),
    ("pvc", "persistent volume claim", "persistentvolumeclaim"),
    ("environment", "env"),
    ("production", "prod"),
    ("configuration", "config", "conf", "cfg"),
    ("authentication", "auth", "authn"),
    ("namespace", "ns"),
    ("message", "msg"),
)
LONGEST_PHRASE = 3


@cache
def stem(word: str) -> str:
    """The stem of a lower-case *word*: "restarting" → "restart", "queries" → "query",
    "deployments" → "deploy", "scaling" and "scale" → "scal"."""
    if not _STEMMED.fullmatch(word):
        return word
    word = _strip(word, INFLECTIONS, MIN_STEM)
    if word in IRREGULAR:
        return IRREGULAR[word]
    word = _strip(word, DERIVATIONS, MIN_STEM + 1)
    if word.endswith("e") and len(word) > MIN_STEM:
        word = word[:-1]
    if len(word) > MIN_STEM and word[-1] == word[-2] and not _VOWEL.match(word[-1]):
        word = word[:-1]  # rolled, roll → rol; stopped → stop
    return word


def _strip(word: str, rules: tuple[tuple[str, str], ...], least: int) -> str:
    for suffix, replacement in rules:
        if word.endswith(suffix):
            rest = word[: -len(suffix)]
            if len(rest) >= least and _VOWEL.search(rest):
                return rest + replacement
            return word
    return word


def _groups() -> tuple[dict[str, str], dict[str, str]]:
    """The key of each synonym's stem, and of each phrase (its words' keys, by spaces)."""
    words: dict[str, str] = {}
    for group in SYNONYMS:
        name = stem(group[0])
        words.update((stem(w), name) for w in group if " " not in w)
    phrases = {
        " ".join(words.get(stem(w), stem(w)) for w in member.split()): words[stem(group[0])]
        for group in SYNONYMS
        for member in group
        if " " in member
    }
    return words, phrases


SYNONYM_KEYS, PHRASE_KEYS = _groups()
_FIRST_KEYS = frozenset(phrase.split()[0] for phrase in PHRASE_KEYS)
_CAMEL = re.compile(r"[^\W_][A-Z]")  # a capital after a letter or digit


@cache
def key(word: str) -> str:
    """What a lower-case *word* matches on: its stem, or its synonym group's name."""
    found = stem(word)
    return SYNONYM_KEYS.get(found, found)


def phrase_keys(words: list[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, key) of each phrase of *words* (lower case, stop words still in), longest
    first at each place, phrases not overlapping."""
    keys = [key(w) for w in words]
    free = 0  # where the next phrase may start
    for start in [i for i, k in enumerate(keys) if k in _FIRST_KEYS]:
        if start < free:
            continue
        for end in range(min(len(words), start + LONGEST_PHRASE), start + 1, -1):
            found = PHRASE_KEYS.get(" ".join(keys[start:end]))
            if found is not None:
                yield start, end, found
                free = end
                break


def pieces(text: str, split: Split) -> list[str]:
    """*text* cut into lower-case words as the search cuts it, stop words still in."""
    return [w for w in (w.lower() for w in split(text)) if w]


def compounds(text: str, split: Split) -> list[str]:
    """Words the search's separator cut where a capital follows a letter, whole and in lower
    case: "crashloopbackoff" of CrashLoopBackOff (crash, loop, back, off), as one types it."""
    found: list[str] = []
    if not _CAMEL.search(text):
        return found
    for chunk in (chunk for chunk in text.split() if _CAMEL.search(chunk)):
        run: list[str] = []
        end = 0
        for piece in split(chunk):
            if not piece:
                continue
            start = chunk.find(piece, end)
            if start != end or not run:
                found.extend(_joined(run))
                run = []
            run.append(piece)
            end = start + len(piece)
        found.extend(_joined(run))
    return found


def _joined(run: list[str]) -> list[str]:
    return ["".join(run).lower()] if len(run) > 1 else []


def analysis() -> dict[str, object]:
    """The rules, as the index carries them to the worker."""
    return {
        "inflections": [list(rule) for rule in INFLECTIONS],
        "derivations": [list(rule) for rule in DERIVATIONS],
        "irregular": IRREGULAR,
        "min_stem": MIN_STEM,
        "synonyms": SYNONYM_KEYS,
        "phrases": PHRASE_KEYS,
        "longest_phrase": LONGEST_PHRASE,
        "derived": DERIVED,
    }
