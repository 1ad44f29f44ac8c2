"""The secret scan's shortcuts find what the plain scan finds: the provider rules run only where
a provider's word is, assignments are searched for only near their key words (and only after
a `:` or `=`), and a suspect string is scanned without the first look."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import checks
from generator.checks import common, placeholders, secrets
from generator.core import model as model_module
from generator.core.loader import load
from generator.core.model import Runbook, build_runbook
from generator.core.validate import kind_of
from tests.conftest import FIXTURES, ROOT

PIECES = [
    *("password", "PASSWORD", "paſſword", "to\u212aen", "TOKEN", "pwd", "api_key", "API-KEY"),
    *("apikey", "SeCrEt", "=", ":", " ", '"', "'", "x7Kq9Lm2Zp", "abcdefgh123", "my_db_", "-"),
    *("_", ".", "İ", "ß", "\n", "a" * 45, "b1" * 30, "export ", "${TOKEN}", "<token>"),
    *("secret_name=db-creds", "token_file=/x", "AKIAZ7Q3X9KD2LMN4P8R", "ghp_" + "a1" * 20),
    *("glpat-" + "x1" * 12, "xoxb-123456789012", "hooks.slack", "https://hooks.slack.com/"),
    *("services/T123/B456/abcdefghijklmnopqrst", "-----BEGIN RSA PRIVATE KEY-----\n" + "A" * 40),
    *("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk", "authorization: Bearer "),
    *("abcdefghijklmnopqrstuvwxyz123", "github_pat_" + "A1_" * 14),
    "authorization: Bearer abcdefghijklmnopqrstuvwxyz123",
    "https://hooks.slack.com/services/T123/B456/abcdefghijklmnopqrst",
]


def plain_candidates(value: str) -> Iterator[tuple[re.Match[str], secrets._Rule]]:
    """Every rule over all of *value*, as the scan was written first."""
    for rule in secrets._RULES:
        for match in rule.pattern.finditer(value):
            yield match, rule
    for match in secrets._ASSIGNMENT.finditer(value):
        if secrets._secret_value(match["key"], match["value"]):
            yield match, secrets._ASSIGNED_SECRET


def spans(found: Iterator[tuple[re.Match[str], secrets._Rule]]) -> list[tuple[object, ...]]:
    return [(match.span(), match.groups(), rule.kind) for match, rule in found]


@settings(max_examples=2000)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_shortcuts_find_what_the_plain_scan_finds(value: str) -> None:
    assert spans(secrets._candidates(value)) == spans(plain_candidates(value))


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_the_scan_needs_no_first_look(value: str) -> None:
    """The scan of a suspect string skips `find_secrets`' first look: without its words, no
    rule finds anything anyway."""
    if not secrets._SUSPECT.search(value):
        assert list(secrets._scan(value)) == []
    assert list(secrets.find_secrets(value)) == list(secrets._scan(value)) or not (
        secrets._SUSPECT.search(value)
    )


@given(st.text(max_size=200))
def test_assignments_as_finditer_on_any_text(value: str) -> None:
    found = [m.span() for m in secrets._assignments(value)]
    assert found == [m.span() for m in secrets._ASSIGNMENT.finditer(value)]


def test_every_provider_rule_needs_a_provider_word() -> None:
    samples = [p for p in PIECES if any(r.pattern.search(p) for r in secrets._RULES)]
    for rule in secrets._RULES:
        matched = [s for s in samples if rule.pattern.search(s)]
        assert matched, rule.kind  # each rule is exercised by the pieces above
        if rule.provider:
            assert all(secrets._PROVIDERS.search(s) for s in matched), rule.kind


def plain_suspects(strings: list[tuple[tuple[str | int, ...], str | int, str]]) -> list[str]:
    """The strings worth scanning: those one regex finds a word in, matching the secret words
    in any case as the scan does (`(?i)`: "paſſword" too)."""
    providers = r"AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[baprs]-|hooks\.slack|PRIVATE KEY|eyJ"
    words = r"authorization|passw|pwd|token|secret|api[_-]?key"
    either = re.compile(f"{providers}|(?i:{words})")
    return [value for _, _, value in strings if either.search(value)]


@settings(max_examples=1000)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map("".join), max_size=12))
def test_suspects_as_the_regexes_find_them(values: list[str]) -> None:
    strings: list[tuple[tuple[str | int, ...], str | int, str]] = [
        ((), i, value) for i, value in enumerate(values) if value
    ]
    assert [value for _, _, value in secrets._suspects(strings)] == plain_suspects(strings)


@given(st.text(alphabet="\\$AB_{}1 x", max_size=30))
def test_placeholders_as_the_lookbehind_first_finds_them(value: str) -> None:
    first = re.compile(r"(?<!\\)\$(?:\{([A-Z][A-Z0-9_]*)\}|([A-Z][A-Z0-9_]*)(?![A-Za-z0-9_]))")
    found = [(m.span(), m.groups()) for m in placeholders._DOLLAR.finditer(value)]
    assert found == [(m.span(), m.groups()) for m in first.finditer(value)]


def is_runbook(path: Path) -> bool:
    doc, _ = load(path)
    return doc is not None and kind_of(doc) == "runbook"


def file_texts(path: Path) -> tuple[Runbook, list[str]]:
    doc, problems = load(path)
    assert doc is not None and not problems, problems
    return build_runbook(doc), doc.texts


RUNBOOK_FILES = [
    *sorted((FIXTURES / "checks").glob("*.yaml")),
    FIXTURES / "valid" / "full.yaml",
    *(path for path in sorted((ROOT / "runbooks").rglob("*.yaml")) if is_runbook(path)),
]


@pytest.mark.parametrize("path", RUNBOOK_FILES, ids=lambda p: p.name)
def test_the_models_strings_are_among_the_files_texts(path: Path) -> None:
    """What lets the scan look at a file's texts first: every string it would scan in the
    model is one of them, or a default the model adds, which holds no secret."""
    runbook, texts = file_texts(path)
    strings = {value for _, _, value in common.strings(runbook)}
    for contact in runbook.inline_contacts:
        strings |= {value for _, _, value in common.strings(contact)}
    defaults = strings - set(texts)
    assert defaults <= set(model_defaults())
    assert not secrets.any_secret(list(model_defaults()))


def model_defaults() -> Iterator[str]:
    """Every text a model class has by default (what the model holds the file never says)."""
    for cls in vars(model_module).values():
        if isinstance(cls, type) and is_dataclass(cls):
            for each in fields(cls):
                if isinstance(each.default, str):
                    yield each.default


@pytest.mark.parametrize("path", RUNBOOK_FILES, ids=lambda p: p.name)
def test_findings_from_the_texts_first_as_from_the_model(path: Path) -> None:
    runbook, texts = file_texts(path)
    found = checks.file_findings(runbook, (), texts=texts)
    assert found == checks.file_findings(runbook, ())
    assert secrets.any_secret(texts) == any(secret for _, secret in found)


@settings(max_examples=500)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map("".join), max_size=12))
def test_any_secret_as_the_scan_of_each_finds(values: list[str]) -> None:
    assert secrets.any_secret(values) == any(list(secrets._scan(value)) for value in values)


STARTS = ["gh", "ghp", "gho_", "ghz_", "xox", "xoxb", "xoxz-", "xoxs-", "AKI", "eyJ", "ASIA"]


@settings(max_examples=1000)
@given(st.lists(st.sampled_from([*STARTS, "a", "\0", "İ", " "]), max_size=12).map("".join))
def test_provider_words_found_by_their_start_as_one_by_one(text: str) -> None:
    plain = set()
    for word in secrets._PROVIDER_LITERALS:
        plain |= {m.start() for m in re.finditer(f"(?={re.escape(word)})", text)}
    for word in secrets._SECRET_LITERALS:
        plain |= {m.start() for m in re.finditer(f"(?={re.escape(word)})", text.lower())}
    if len(text.lower()) == len(text):
        assert set(secrets._suspect_offsets(text)) == plain
