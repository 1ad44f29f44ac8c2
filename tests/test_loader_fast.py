"""The loader's shortcuts answer as the long ways do: YAML 1.1 tags from a table by first
character, and line lengths from one split on "\\n" before the exact count."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.loader import MAX_LINE, _Reject, _resolved, parse

SCALARS = [
    *("", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "y", "n", "true", "False"),
    *("0", "00", "017", "0o17", "0x1F", "0b101", "-0b11", "+12", "1_000", "190:20:30", "22:30"),
    *("1.5e3", "1.", ".5", "-.Inf", ".inf", ".NaN", "685_230.15", "0.", "6.8523015e+5"),
    *("2026-01-02", "2026-1-2", "2001-12-14t21:59:43.10-05:00", "2026-01-02 10:00:00"),
    *("<<", "=", "-x", "text", "1.10", "yes please", "!", "&", "*"),
]


def test_tags_as_the_resolver_gives_them() -> None:
    resolver = yaml.resolver.Resolver()
    for value in SCALARS:
        expected = resolver.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        assert _resolved(value) == expected, value


@given(st.text(alphabet="0123456789.-+_:eExXbBoOinfaNlsyYt~<=! ", max_size=12))
def test_any_plain_text_resolves_as_the_resolver_says(value: str) -> None:
    resolver = yaml.resolver.Resolver()
    assert _resolved(value) == resolver.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]


def rejected_line(text: str) -> tuple[int, int] | None:
    """(line, column) of RB004 for *text*, or None when it loads."""
    try:
        parse(text.encode(), "t.yaml")
    except _Reject as exc:
        assert exc.diagnostic.code == "RB004"
        return exc.diagnostic.line, exc.diagnostic.col
    return None


def test_lines_are_counted_as_yaml_counts_them() -> None:
    long = "x" * (MAX_LINE - 3)  # after "a: ", a line of exactly the limit
    assert rejected_line(f"a: {long}\n") is None
    assert rejected_line(f"a: {long}x\n") == (1, MAX_LINE + 1)
    # No "\n" at all, yet YAML sees three short lines: nothing is too long.
    assert rejected_line(f"a: 1\rb: {long[:-2]}\rc: 2\n") is None
    # Breaks other than "\n" count: the long line is the second one.
    assert rejected_line(f"a: 1\rb: {long}x\rc: 2\n") == (2, MAX_LINE + 1)
    assert rejected_line(f"a: 1\u2028{'y' * (MAX_LINE + 1)}\n") == (2, MAX_LINE + 1)
