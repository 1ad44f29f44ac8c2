"""Secrets: every string of every runbook, contacts and severity file is scanned for what looks
like a real credential (RB310), unless the allow-list says it is a documented fake.

The allow-list, `.runbookgen-allow` in the project root, holds one entry a line: a literal
string, or `regex:` and a Python regular expression; `#` starts a comment line. A literal allows
a finding when one contains the other; a regex, when it matches anywhere in the finding.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from generator.checks.common import Finding, SourceLines, String, at, collect, strings
from generator.core.loader import JsonPath
from generator.core.model import (
    Contact,
    Runbook,
    SeverityScheme,
    Source,
)
from generator.diagnostics import Diagnostic, make

ALLOW_FILE = ".runbookgen-allow"
# Fakes published by vendors for documentation: never real, often copied into runbooks.
KNOWN_FAKES = (
    "AKIAIOSFODNN7EXAMPLE",
    "AKIAI44QH8DHBEXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
)


@dataclass(frozen=True)
class AllowList:
    """Documented fakes: literal strings and regular expressions."""

    literals: tuple[str, ...] = KNOWN_FAKES
    patterns: tuple[re.Pattern[str], ...] = ()

    def allows(self, found: str) -> bool:
        """True if an entry says *found* is a documented fake."""
        return any(x in found or found in x for x in self.literals) or any(
            p.search(found) for p in self.patterns
        )


def load_allow_list(path: Path) -> tuple[AllowList, list[Diagnostic]]:
    """The allow-list in *path* (empty if there is none) and the problems with its entries."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return AllowList(), []
    except OSError as exc:
        return AllowList(), [make(str(path), 0, 0, "RB001", f"cannot read: {exc.strerror}")]
    literals, patterns, problems = list(KNOWN_FAKES), [], []
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.strip()
        if entry.startswith("regex:"):
            pattern, problem = _compile(entry.removeprefix("regex:").strip())
            if pattern is not None:
                patterns.append(pattern)
            else:
                col = line.index("regex:") + len("regex:") + 1
                problems.append(make(str(path), number, col, "RB311", problem))
        elif entry and not entry.startswith("#"):
            literals.append(entry)
    return AllowList(tuple(literals), tuple(patterns)), problems


def _compile(pattern: str) -> tuple[re.Pattern[str] | None, str]:
    if not pattern:
        return None, "empty regular expression: write one after `regex:`, or remove the line"
    try:
        return re.compile(pattern), ""
    except re.error as exc:
        return None, f"invalid regular expression {pattern!r}: {exc}"


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    judged: int = 0  # the group that must not look fake
    reported: int = 0  # the group shown, allowed and pointed at
    provider: bool = True  # it matches only where one of _PROVIDER_WORDS is


_PEM = (
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----\s*"
    r"(?:[A-Za-z-]+:[^\n]*\n\s*)*([A-Za-z0-9+/=]{32,})"  # optional headers, then key material
)
_RULES = (
    _Rule("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    _Rule("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    _Rule("GitHub token", re.compile(r"\bgithub_pat_[A-Za-z0-9_]{40,}")),
    _Rule("GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    _Rule("Slack token", re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}")),
    _Rule(
        "Slack webhook URL",
        re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}"),
    ),
    _Rule("private key", re.compile(_PEM), judged=1),
    _Rule(
        "JSON Web Token",
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ),
    _Rule(
        "bearer token",
        re.compile(r"(?i)\bauthorization:\s*(?:bearer|token|oauth)\s+([A-Za-z0-9._~+/-]{20,}=*)"),
        judged=1,
        reported=1,
        provider=False,
    ),
)
# Cheap first look: most strings contain none of these, and skip every rule.
_PROVIDER_LITERALS = (
    *("AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-"),
    *("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "hooks.slack", "PRIVATE KEY", "eyJ"),
)
_SECRET_LITERALS = (
    "authorization",
    "passw",
    "pwd",
    "token",
    "secret",
    "apikey",
    "api_key",
    "api-key",
)
_PROVIDER_WORDS = "|".join(map(re.escape, _PROVIDER_LITERALS))
_SECRET_WORDS = "|".join(map(re.escape, _SECRET_LITERALS))  # in any case
_SUSPECT = re.compile(f"{_PROVIDER_WORDS}|(?i:{_SECRET_WORDS})")
_PROVIDERS = re.compile(_PROVIDER_WORDS)
# Bounded repeats: unbounded ones backtrack quadratically on text like "token -a-a-a-a...".
_KEY_WORDS = r"password|passwd|pwd|token|secret|api[_-]?key"
_ASSIGNMENT = re.compile(
    rf"(?i)(?<![A-Za-z0-9])(?P<key>[A-Za-z0-9_.-]{{0,40}}?(?:{_KEY_WORDS})"
    r"[A-Za-z0-9_-]{0,40})[\"']?\s{0,8}[:=]\s{0,8}[\"']?(?P<value>[^\s\"'`,;&|<>(){}\[\]]{8,200})"
)
# An assignment starts at most 40 characters before its key word: the search starts there.
_KEY_WORD = re.compile(f"(?i){_KEY_WORDS}")
_KEY_WORD_REACH = 40
# Keys that name where a secret is, not the secret: secret_name=db-creds, token_file=...
_NOT_A_SECRET_KEY = re.compile(r"(?i)(?:name|ref|file|path|dir|id|type|url|env|len|length|ttl)$")
_FAKE = re.compile(r"(?i)example|placeholder|redacted|changeme|dummy|fake|sample|x{4}|\*{3}|\.\.\.")
_WORDS = re.compile(r"[a-z]+(?:[-_.][a-z0-9]+)+")  # a kebab/snake-case name: db-credentials-v2
MIN_ENTROPY = 3.0  # bits a character: hex and base64 secrets score 3.5 to 6, words 2 to 3


def entropy(text: str) -> float:
    """Shannon entropy of *text*, in bits a character."""
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in Counter(text).values()) if text else 0.0


def looks_fake(text: str) -> bool:
    """True for placeholder shapes: TOKEN, <token>, $TOKEN, ${TOKEN}, xxxx, ..., EXAMPLE."""
    return (
        text[:1] in "$<{[%(*`"
        or "${" in text
        or re.fullmatch(r"[A-Z]+(?:_[A-Z0-9]+)*", text) is not None  # not AKIA..., all caps too
        or _FAKE.search(text) is not None
        or entropy(text) < MIN_ENTROPY
    )


def find_secrets(value: str) -> Iterator[tuple[int, str, str]]:
    """(offset, secret, kind) of everything in *value* that looks like a real credential."""
    if _SUSPECT.search(value):  # the words every rule needs: most strings have none
        yield from _scan(value)


def _scan(value: str) -> Iterator[tuple[int, str, str]]:
    """`find_secrets` for a string known to hold a suspect word (the first look is slow)."""
    taken: list[tuple[int, int]] = []
    for match, rule in _candidates(value):
        start, end = match.span()
        if looks_fake(match[rule.judged]) or any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        kind = rule.kind.format(key=match.groupdict().get("key"))
        yield match.start(rule.reported), match[rule.reported], kind


_ASSIGNED_SECRET = _Rule(
    "secret assigned to {key}", _ASSIGNMENT, judged=2, reported=2, provider=False
)


def _candidates(value: str) -> Iterator[tuple[re.Match[str], _Rule]]:
    provider = _PROVIDERS.search(value) is not None  # else no provider's rule can match
    for rule in _RULES:
        if provider or not rule.provider:
            for match in rule.pattern.finditer(value):
                yield match, rule
    for match in _assignments(value):
        if _secret_value(match["key"], match["value"]):
            yield match, _ASSIGNED_SECRET


def _assignments(value: str) -> Iterator[re.Match[str]]:
    """What `_ASSIGNMENT.finditer(value)` finds, searching only near the key words, and only
    in text with a `:` or `=` (every assignment has one; a search that fails is slow)."""
    if ":" not in value and "=" not in value:
        return
    pos = 0
    while (word := _KEY_WORD.search(value, pos)) is not None:
        match = _ASSIGNMENT.search(value, max(pos, word.start() - _KEY_WORD_REACH))
        if match is None:
            return
        yield match
        pos = match.end()


def _secret_value(key: str, value: str) -> bool:
    """A value that reads like a generated password or token, not a name, path or word."""
    return (
        len(value) >= 8
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
        and not _NOT_A_SECRET_KEY.search(key)
        and not _WORDS.fullmatch(value)
        and not value.startswith(("/", "./", "~"))
        and "://" not in value
    )


def _secrets(
    strings: list[String], where: Callable[[JsonPath], Source], *, files: SourceLines
) -> Iterator[Finding]:
    for parent, key, value in _suspects(strings):
        for offset, secret, kind in _scan(value):
            first_line = value[offset:].split("\n", 1)[0][:80]
            found = files.locate(where((*parent, key)), first_line)
            message = f"possible {kind} ({_masked(secret)}): remove it and rotate it; if it is a documented fake, add it to {ALLOW_FILE}"
            yield at(found, "RB310", message), secret


def any_secret(texts: Sequence[str]) -> bool:
    """Whether any of *texts* holds what looks like a real credential (the model's strings
    are among a file's texts: those it adds, like `language: bash`, hold none)."""
    return any(next(_scan(texts[i]), None) is not None for i in _suspect_indexes(texts))


def _suspects(strings: list[String]) -> Iterator[String]:
    """The strings worth scanning, found in one pass over them all: calls cost more than text."""
    return (strings[i] for i in _suspect_indexes([value for _, _, value in strings]))


def _suspect_indexes(values: Sequence[str]) -> list[int]:
    """The indexes of the *values* that hold a suspect word, in order."""
    ends = list(accumulate(len(value) + 1 for value in values))
    text = "\0".join(values)
    return sorted({bisect_right(ends, offset) for offset in _suspect_offsets(text)})


# Letters that `(?i)` (what `_scan` matches with) takes for ASCII ones, as lower() does not:
# "paſſword" is a password to the scan.
_FOLDED_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")  # İ ı ſ K(elvin)


def _suspect_offsets(text: str) -> Iterator[int]:
    lower = text.lower()
    # (A few characters also lower to two, İ: offsets in *lower* would shift.)
    if len(lower) != len(text) or _FOLDED_TO_ASCII.search(text):
        yield from (match.start() for match in _SUSPECT.finditer(text))
        return
    # Each word found with str.find: five times faster than one regex of them all (or (?i)).
    for start, words in _PROVIDER_STARTS:
        yield from _find_all(text, start, words)
    for word in _SECRET_LITERALS:
        yield from _find_all(lower, word)


# A start to search for, and the words that begin with it (None: the start is the word).
_Start = tuple[str, tuple[str, ...] | None]


def _by_start(words: tuple[str, ...], starts: tuple[str, ...]) -> tuple[_Start, ...]:
    """*words* grouped under the first of *starts* each begins with; alone, the others."""
    groups: dict[str, tuple[str, ...]] = {}
    for word in words:
        start = next((s for s in starts if word.startswith(s)), word)
        groups[start] = (*groups.get(start, ()), word)
    return tuple((start, None if group == (start,) else group) for start, group in groups.items())


# The GitHub and Slack words share a start: each start searched for once (the text is long,
# the words rare), nine searches where there were seventeen.
_PROVIDER_STARTS = _by_start(_PROVIDER_LITERALS, ("gh", "xox"))


def _find_all(text: str, start: str, words: tuple[str, ...] | None = None) -> Iterator[int]:
    """Where *start* is in *text*, followed by one of *words* (when given)."""
    at = text.find(start)
    while at >= 0:
        if words is None or text.startswith(words, at):
            yield at
        at = text.find(start, at + 1)


def _masked(secret: str) -> str:
    """Enough to find it, not enough to use it: logs and annotations are read by many."""
    head = secret.split("\n", 1)[0]
    if head.startswith("-----BEGIN "):
        return head.split("-----")[1].removeprefix("BEGIN ")
    return f"{secret[:4]}… {len(secret)} characters"


# ---- Every string with its place -------------------------------------------------------------


def runbook_secrets(runbook: Runbook, files: SourceLines) -> list[Finding]:
    found = strings(runbook)
    # Inline contacts are the mappings among `contacts:`, which also lists shared ids.
    inline = [i for i in range(len(runbook.contacts)) if ("contacts", i, "id") in runbook.positions]
    for i, contact in zip(inline, runbook.inline_contacts, strict=False):
        collect(contact, ("contacts", i), found)
    return list(_secrets(found, lambda path: runbook.at(*path), files=files))


def entry_secrets(entry: Contact | SeverityScheme, files: SourceLines) -> list[Finding]:
    """A shared contact or scheme: its file keeps no positions, so findings start at the entry."""
    return list(_secrets(strings(entry), lambda _: entry.source, files=files))
