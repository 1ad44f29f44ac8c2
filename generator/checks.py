"""Stage 5: checks for CI, on the model: what a runbook needs beyond being valid and resolved.

- reviews: `next_review` passed (RB300), `last_reviewed` older than the maximum age (RB301) or
  after today (RB302); "today" is a parameter, so runs are reproducible;
- secrets: every string of every runbook, contacts and severity file is scanned for what looks
  like a real credential (RB310), unless the allow-list says it is a documented fake;
- placeholders: `<name>`, `$NAME` and `${NAME}` in commands must be declared under
  `variables:` (RB320);
- variables: a variable whose pattern lets shell metacharacters or spaces through, used in a
  shell command (the page quotes such a value) or in other code (where it goes in as it is)
  (RB322);
- typography: a command holding a curly quote, a dash, a no-break or invisible space where a
  shell wants ASCII (word processors and chat tools put them there) copies as a command that
  fails (RB321);
- links: external URLs are checked for syntax only, never fetched (RB210); with a built site,
  every internal link and anchor of its HTML must resolve (RB330, RB331).

The allow-list, `.runbookgen-allow` in the project root, holds one entry a line: a literal
string, or `regex:` and a Python regular expression; `#` starts a comment line. A literal allows
a finding when one contains the other; a regex, when it matches anywhere in the finding.
"""

from __future__ import annotations

import datetime as dt
import difflib
import ipaddress
import math
import os
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from html.parser import HTMLParser
from itertools import accumulate
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.diagnostics import Diagnostic, make
from generator.fill import SHELL_SPECIAL, admitted, kind_of
from generator.loader import JsonPath, display_path
from generator.model import (
    Contact,
    FlowEdge,
    ReviewDates,
    Runbook,
    SeverityScheme,
    Site,
    Source,
)
from generator.references import all_steps

DEFAULT_MAX_AGE = 365
ALLOW_FILE = ".runbookgen-allow"
# Fakes published by vendors for documentation: never real, often copied into runbooks.
KNOWN_FAKES = (
    "AKIAIOSFODNN7EXAMPLE",
    "AKIAI44QH8DHBEXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
)


# A diagnostic, and the secret it reports ("" for other checks), for the allow-list to judge.
Finding = tuple[Diagnostic, str]


def run_checks(
    site: Site,
    *,
    today: dt.date,
    max_age: int = DEFAULT_MAX_AGE,
    allow_file: Path = Path(ALLOW_FILE),
    built_site: Path | None = None,
) -> list[Diagnostic]:
    """Every CI check on *site* (and on the HTML of *built_site*), sorted, without duplicates.

    The checks that need one file only ran when it was loaded (`file_findings`, cached with
    the file); here the allow-list judges their secrets, and reviews are judged by *today*.
    """
    allow, found = load_allow_list(allow_file)
    for dates in site.reviews:
        found.extend(check_reviews(dates, today=today, max_age=max_age))
    found.extend(d for d, secret in site.findings if not (secret and allow.allows(secret)))
    if built_site is not None:
        found.extend(check_built_site(built_site))
    return sorted(set(found))


def file_findings(
    runbook: Runbook | None,
    entries: Iterable[Contact | SeverityScheme],
    *,
    texts: Sequence[str] | None = None,
) -> tuple[Finding, ...]:
    """What one file's runbook, or its shared contacts or scheme, hold that CI must flag: link
    syntax, undeclared placeholders, possible secrets (all of them: the allow-list comes later).

    *texts*, every text value of the runbook's file (`Document.texts`), spares the walk over
    the runbook for the strings to scan for secrets when none of them holds one.
    """
    files = SourceLines()
    found: list[Finding] = []
    if runbook is not None:
        found.extend((d, "") for d in check_urls(runbook))
        found.extend((d, "") for d in check_placeholders(runbook, files=files))
        found.extend((d, "") for d in check_typography(runbook, files=files))
        found.extend((d, "") for d in check_variables(runbook))
        if texts is None or _any_secret(texts):
            found.extend(_runbook_secrets(runbook, files))
    for entry in entries:
        found.extend(_entry_secrets(entry, files))
    return tuple(found)


def _at(source: Source, code: str, message: str) -> Diagnostic:
    return make(source.path, source.line, source.col, code, message)


class SourceLines:
    """Lines of source files, read once per run, to point at the exact place of a finding."""

    # Line breaks as the loader counts them, so positions agree with every other stage.
    BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = {}

    def locate(self, start: Source, needle: str) -> Source:
        """Where *needle* is first written at or after *start*; *start* when it is not there as is
        (escaped in a quoted string, split by folding)."""
        lines = self._read(start.path)
        for number in range(start.line, len(lines) + 1):
            offset = start.col - 1 if number == start.line else 0
            col = lines[number - 1].find(needle, offset)
            if col >= 0:
                return Source(start.path, number, col + 1)
        return start

    def _read(self, path: str) -> list[str]:
        if path not in self.lines:
            try:
                text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                text = ""
            self.lines[path] = self.BREAK.split(text)
        return self.lines[path]


# ---- Reviews ---------------------------------------------------------------------------------


def review_dates(runbook: Runbook) -> ReviewDates:
    """What the review checks need of a runbook (kept with the file's cached results)."""
    return ReviewDates(
        runbook.last_reviewed,
        runbook.next_review,
        runbook.at("last_reviewed"),
        runbook.at("next_review"),
    )


def check_reviews(dates: ReviewDates, *, today: dt.date, max_age: int) -> Iterator[Diagnostic]:
    """Review overdue, last review too old or in the future."""
    last = _date(dates.last_reviewed)
    upcoming = _date(dates.next_review)
    if last is not None and last > today:
        message = f"last_reviewed {last} is after today ({today}): fix the date"
        yield _at(dates.last_at, "RB302", message)
    elif last is not None and (today - last).days > max_age:
        days = (today - last).days
        message = f"last reviewed {days} days ago ({last}), more than {max_age}: review the runbook and update `last_reviewed`"
        yield _at(dates.last_at, "RB301", message)
    if upcoming is not None and upcoming < today:
        days = (today - upcoming).days
        message = f"review overdue since {upcoming} ({days} days): review the runbook, then move `next_review` forward"
        yield _at(dates.next_at, "RB300", message)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:  # the schema reports it
        return None


# ---- External URLs ---------------------------------------------------------------------------


def check_urls(runbook: Runbook) -> Iterator[Diagnostic]:
    """The syntax of every external URL of the runbook's links; nothing is fetched."""
    for i, link in enumerate(runbook.links):
        problem = url_problem(link.url) if link.url else ""
        if problem:
            message = f"{link.url!r} is not a valid URL: {problem}"
            yield _at(runbook.at("links", i, "url"), "RB210", message)


def url_problem(url: str) -> str:
    """What is wrong with an http(s), mailto or tel URL; "" when nothing is."""
    scheme, _, rest = url.partition(":")
    if re.search(r"[\x00-\x20\x7f\"<>\\`]", url):
        return "it contains a space, a quote, <, > or a backslash: percent-encode it"
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return "'%' must start an escape like %20: write %25 for a percent sign"
    if scheme.lower() == "mailto":
        return _mailto_problem(rest)
    if scheme.lower() == "tel":
        return "" if sum(c.isdigit() for c in rest) >= 3 else "a phone number needs digits"
    return _http_problem(url)


def _mailto_problem(rest: str) -> str:
    addresses = unquote(rest.split("?", 1)[0]).split(",")
    if all(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s.]+", a) for a in addresses):
        return ""
    return "write an address like mailto:team@example.com"


def _http_problem(url: str) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        if "port" in str(exc).lower():
            return "the port must be a number from 0 to 65535"
        return f"malformed address ({exc})"
    host = parts.hostname or ""
    if not host:
        return "it has no host name: write https://host.example.com/..."
    return _host_problem(host)


_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


def _host_problem(host: str) -> str:
    if ":" in host:  # an IPv6 address; urlsplit checked its brackets
        return "" if _is_ip(host) else f"{host!r} is not an IPv6 address"
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"{host!r} is not a valid host name"
    labels = ascii_host.removesuffix(".").split(".")
    if all(label.isdigit() for label in labels):
        return "" if _is_ip(ascii_host) else f"{host!r} is not an IPv4 address"
    if len(ascii_host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        return f"{host!r} is not a valid host name"
    return ""


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


# ---- Placeholders ----------------------------------------------------------------------------

_ANGLE = re.compile(r"<([A-Za-z][A-Za-z0-9_-]*)>")
# $NAME or ${NAME}, upper case only: lower case is the shell's own ($service of a for loop).
# ${NAME:-default} has a default, so it is no placeholder.
# The `$` first, then "not escaped": a pattern that starts with a character is searched for
# that character first, five times faster than trying the lookbehind everywhere.
_DOLLAR = re.compile(r"\$(?<!\\\$)(?:\{([A-Z][A-Z0-9_]*)\}|([A-Z][A-Z0-9_]*)(?![A-Za-z0-9_]))")
_ASSIGNED = re.compile(
    r"(?<![\w$.-])([A-Za-z_]\w*)\+?="  # NAME=value, export NAME=value
    r"|\bfor\s+([A-Za-z_]\w*)\s+in\b"  # for NAME in ...
    r"|\bread\s+(?:-[a-z]+\s+)*([A-Za-z_]\w*(?:[ \t]+[A-Za-z_]\w*)*)"  # read -r NAME OTHER
)
# Set by the shell or the login, never by the reader of a runbook.
_SHELL_VARIABLES = frozenset(
    {
        *("HOME", "PATH", "PWD", "OLDPWD", "USER", "LOGNAME", "SHELL", "HOSTNAME", "TMPDIR"),
        *("IFS", "RANDOM", "SECONDS", "LINENO", "UID", "EUID", "PPID", "LANG", "TERM"),
    }
)


def check_placeholders(
    runbook: Runbook, *, files: SourceLines | None = None
) -> Iterator[Diagnostic]:
    """Placeholders used in commands (and decision table command cells) but never declared."""
    files = files or SourceLines()
    declared = {v.name for v in runbook.variables}
    for text, path, _ in _commands(runbook):
        for shown, name in _undeclared(text, declared):
            where = files.locate(runbook.at(*path), shown)
            message = f"placeholder {shown} is not declared{_hint(name, declared)}: add `{name}` under `variables:` with a description and an example"
            yield _at(where, "RB320", message)


def _commands(runbook: Runbook) -> Iterator[tuple[str, JsonPath, str]]:
    """Every command of the runbook: its text, where it is, its language ("" for a decision
    table's, inline code that the page fills as a shell command)."""
    for step in all_steps(runbook):
        for i, command in enumerate(step.commands):
            yield command.run, (*step.path, "commands", i, "run"), command.language
    for i, table in enumerate(runbook.decision_tables):
        for j, row in enumerate(table.rows):
            if row.command:
                yield row.command, ("decision_tables", i, "rows", j, "command"), ""


def _undeclared(text: str, declared: set[str]) -> Iterator[tuple[str, str]]:
    """(as written, name) of each undeclared placeholder of a command, once each."""
    found: dict[str, str] = {}
    for match in _ANGLE.finditer(text):
        found.setdefault(match[1], match[0])
    for match in _DOLLAR.finditer(text):
        found.setdefault(match[1] or match[2], match[0])
    undeclared = {name: shown for name, shown in found.items() if name not in declared}
    if any(shown.startswith("$") for shown in undeclared.values()):  # rare: parse the shell then
        shell = _assigned(text) | _SHELL_VARIABLES
        undeclared = {n: s for n, s in undeclared.items() if s.startswith("<") or n not in shell}
    yield from ((shown, name) for name, shown in undeclared.items())


def _assigned(text: str) -> set[str]:
    names: set[str] = set()
    for match in _ASSIGNED.finditer(text):
        names.update((match[1] or match[2] or match[3]).split())
    return names


def _hint(name: str, declared: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(declared), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# ---- Fill-in variables ----------------------------------------------------------------------


def check_variables(runbook: Runbook) -> Iterator[Diagnostic]:
    """Variables whose pattern lets shell metacharacters or whitespace through, used in a
    shell command (the page quotes such a value) or in other code (where it goes as it is)."""
    for i, variable in enumerate(runbook.variables):
        special = admitted(variable.pattern, SHELL_SPECIAL) if variable.pattern else ""
        if not special:
            continue
        uses = _uses(runbook, variable.name)
        shown = ", ".join(f"'{c}'" for c in special[:6])
        shown += f" and {len(special) - 6} more" if len(special) > 6 else ""
        for kind, language, at in uses:
            where = f"line {at.line}"
            if kind == "shell":
                what = f"a shell command ({where}): the page quotes such a value where a shell would read them"
            else:
                what = (
                    f"a {language} command ({where}): there it goes in as it is (a quote, backtick"
                    " or backslash refused)"
                )
            message = f"variable {variable.name!r} may hold {shown} (its pattern lets them through) and is used in {what}: narrow the pattern unless values need them"
            yield _at(runbook.at("variables", i, "pattern"), "RB322", message)


def _uses(runbook: Runbook, name: str) -> list[tuple[str, str, Source]]:
    """Where the variable *name* is used in a command: the first shell command, and the first
    command of other code (kind, language, where)."""
    spellings = [f"<{name}>"]
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        spellings += ["${" + name + "}"]
    dollar = re.compile(rf"\${re.escape(name)}(?![A-Za-z0-9_])")
    found: dict[str, tuple[str, str, Source]] = {}
    for text, path, language in _commands(runbook):
        kind = kind_of(language)
        used = any(s in text for s in spellings) or bool(dollar.search(text))
        if used and kind != "prose" and kind not in found:
            found[kind] = (kind, language, runbook.at(*path))
    return list(found.values())


# ---- Typography ------------------------------------------------------------------------------

# What a shell wants instead of each typographic character ("" for an invisible one): it reads
# “x” as the text “x”, –n as no option, and a no-break space as part of a word.
_ASCII_FOR = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f", '"'),
    **dict.fromkeys("\u2010\u2011\u2013\u2014\u2212", "-"),
    **dict.fromkeys("\u00a0\u2007\u202f", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", ""),
    "\u2026": "...",
}
_TYPOGRAPHIC = re.compile(f"[{''.join(_ASCII_FOR)}]")


def check_typography(runbook: Runbook, *, files: SourceLines | None = None) -> Iterator[Diagnostic]:
    """Typographic characters in commands (and decision table command cells): for each ASCII
    character they stand in for, the first in a command, where it is written."""
    files = files or SourceLines()
    for text, path, _ in _commands(runbook):
        first: dict[str, str] = {}
        for char in _TYPOGRAPHIC.findall(text):
            first.setdefault(_ASCII_FOR[char], char)
        for char in first.values():  # in the order they are written
            where = files.locate(runbook.at(*path), char)
            yield _at(where, "RB321", _typographic(char))


def _typographic(char: str) -> str:
    name = f"U+{ord(char):04X} {unicodedata.name(char)}"
    ascii_char = _ASCII_FOR[char]
    if not ascii_char:
        return f"command holds an invisible {name}, which a shell keeps: delete it"
    if ascii_char == " ":
        return f"command holds a {name}, which a shell reads as part of a word: type a plain space"
    return f"command holds {char} ({name}) where a shell wants `{ascii_char}`: type `{ascii_char}`"


# ---- Secrets ---------------------------------------------------------------------------------


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


# A string of the file: the path of its parent, its key or index there, its value.
_String = tuple[JsonPath, str | int, str]


def _secrets(
    strings: list[_String], where: Callable[[JsonPath], Source], *, files: SourceLines
) -> Iterator[Finding]:
    for parent, key, value in _suspects(strings):
        for offset, secret, kind in _scan(value):
            first_line = value[offset:].split("\n", 1)[0][:80]
            at = files.locate(where((*parent, key)), first_line)
            message = f"possible {kind} ({_masked(secret)}): remove it and rotate it; if it is a documented fake, add it to {ALLOW_FILE}"
            yield _at(at, "RB310", message), secret


def _any_secret(texts: Sequence[str]) -> bool:
    """Whether any of *texts* holds what looks like a real credential (the model's strings
    are among a file's texts: those it adds, like `language: bash`, hold none)."""
    return any(next(_scan(texts[i]), None) is not None for i in _suspect_indexes(texts))


def _suspects(strings: list[_String]) -> Iterator[_String]:
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

# Model fields that are not in the file (or, inline contacts, not at their own index), and
# fields named differently in the file.
_NOT_IN_FILE = frozenset({"positions", "path", "inline_contacts"})
_FILE_NAMES = {
    (Runbook, "inline_scheme"): "severity",
    (FlowEdge, "source"): "from",
    (FlowEdge, "target"): "to",
}


def _runbook_secrets(runbook: Runbook, files: SourceLines) -> list[Finding]:
    strings = _strings(runbook)
    # Inline contacts are the mappings among `contacts:`, which also lists shared ids.
    inline = [i for i in range(len(runbook.contacts)) if ("contacts", i, "id") in runbook.positions]
    for i, contact in zip(inline, runbook.inline_contacts, strict=False):
        _collect(contact, ("contacts", i), strings)
    return list(_secrets(strings, lambda path: runbook.at(*path), files=files))


def _entry_secrets(entry: Contact | SeverityScheme, files: SourceLines) -> list[Finding]:
    """A shared contact or scheme: its file keeps no positions, so findings start at the entry."""
    return list(_secrets(_strings(entry), lambda _: entry.source, files=files))


def _strings(value: object) -> list[_String]:
    """Every non-empty string in a model object, with the path of the value it came from."""
    found: list[_String] = []
    _collect(value, (), found)
    return found


def _collect(value: object, path: JsonPath, found: list[_String]) -> None:
    """Add the strings under *value* (a tuple, dict or model object) to *found*.

    The walk is hot: a string is added where it is met, and a tuple of strings without a call.
    """
    if not isinstance(value, tuple | dict):
        _collect_fields(value, path, found)
        return
    children: Iterable[tuple[str | int, object]]
    children = enumerate(value) if isinstance(value, tuple) else value.items()
    for key, item in children:
        if isinstance(item, str):
            if item:
                found.append((path, key, item))
        elif item and not isinstance(item, (bool, int, float)):  # None, (), {}: no string
            _collect(item, (*path, key), found)


def _collect_fields(value: object, path: JsonPath, found: list[_String]) -> None:
    for attribute, name, texts in _file_fields(type(value)):
        item = getattr(value, attribute)
        if not item:
            continue
        if isinstance(item, str):
            found.append((path, name, item))
        elif texts:
            inner = (*path, name)
            found.extend((inner, i, text) for i, text in enumerate(item) if text)
        elif not isinstance(item, (bool, int, float)):
            _collect(item, (*path, name), found)


# Model classes: (attribute, name in the file, holds a tuple of strings) of each field that
# comes from the file and may hold strings.
_FIELDS: dict[type, tuple[tuple[str, str, bool], ...]] = {}
# Field types that hold no string of the file: a position, a flag.
_NO_STRINGS = frozenset({"Source", "bool"})


def _file_fields(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """The fields of a model class that come from the file and may hold strings: attribute,
    name in the file, and whether it holds a tuple of strings (dataclasses.fields() is slow,
    and called for every object)."""
    if cls not in _FIELDS:
        is_model = is_dataclass(cls) and cls is not Source
        _FIELDS[cls] = tuple(
            (f.name, _FILE_NAMES.get((cls, f.name), f.name), str(f.type) == "tuple[str, ...]")
            for f in (fields(cls) if is_model else ())
            if f.name not in _NOT_IN_FILE and str(f.type) not in _NO_STRINGS
        )
    return _FIELDS[cls]


# ---- A built site ----------------------------------------------------------------------------


class _Page(HTMLParser):
    """The ids of one HTML page, and its links with their positions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in ("href", "src"):
                self.links.append((value, line, offset + 1))


def check_built_site(root: Path) -> list[Diagnostic]:
    """Every relative link of every .html page under *root* that leads to no file, or to no
    element with the fragment's id; external links (with a scheme or a host) are skipped."""
    top = root.resolve()
    found: list[Diagnostic] = []
    pages = {path.resolve(): (path, _parse(path, found)) for path in sorted(root.rglob("*.html"))}
    ids = {path: page.ids for path, (_, page) in pages.items()}
    for resolved, (path, page) in pages.items():
        for href, line, col in page.links:
            problem = _link_problem(href, resolved, top, ids)
            if problem is not None:
                code, message = problem
                found.append(make(display_path(path), line, col, code, message))
    return found


def _parse(path: Path, found: list[Diagnostic]) -> _Page:
    page = _Page()
    try:
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
    except OSError as exc:
        found.append(make(display_path(path), 0, 0, "RB001", f"cannot read: {exc.strerror}"))
    page.close()
    return page


def _link_problem(
    href: str, page: Path, root: Path, ids: dict[Path, set[str]]
) -> tuple[str, str] | None:
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return "RB330", f"link {href!r} is malformed: fix it in its source"
    if parts.scheme or parts.netloc:
        return None  # http(s), mailto, tel, data: not a file of this site
    target = _target(page, root, unquote(parts.path))
    if target is None:
        return "RB330", f"link {href!r} leads outside the site: make it relative to the page"
    if not target.is_file():
        shown = target.relative_to(root).as_posix()
        return "RB330", f"link {href!r}: {shown} is not in the site: fix the link in its source"
    fragment = unquote(parts.fragment)
    if fragment and target in ids and fragment not in ids[target]:
        shown = target.relative_to(root).as_posix()
        return "RB331", f"link {href!r}: {shown} has no element with id {fragment!r}"
    return None


def _target(page: Path, root: Path, path: str) -> Path | None:
    """The file a link's path names (a folder's index.html), or None outside *root*."""
    if not path:
        return page
    base = root if path.startswith("/") else page.parent
    target = Path(os.path.normpath(base / path.lstrip("/")))
    if not target.is_relative_to(root):
        return None
    return target / "index.html" if target.is_dir() or path.endswith("/") else target
