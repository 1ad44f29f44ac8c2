"""The loader's shortcuts answer as the long ways do: YAML 1.1 tags from a table by first
character, line lengths from one split on "\\n" before the exact count, and a load without
details as a detailed one."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.core.loader import _PLAIN, MAX_LINE, Pos, _Reject, _resolved, iter_yaml_files, parse
from tests.conftest import FIXTURES

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


@given(st.text(max_size=3))
def test_text_no_resolver_starts_with_is_text(value: str) -> None:
    assert value[:1] in _PLAIN or _resolved(value) == "tag:yaml.org,2002:str"


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


def every_fixture() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.yaml") if p.stat().st_size < 200_000)


def loaded(raw: bytes, *, detailed: bool) -> tuple[object, ...]:
    try:
        doc = parse(raw, "t.yaml", detailed=detailed)
    except _Reject as exc:
        return ("rejected", exc.diagnostic)
    return doc.data, doc.positions, doc.texts


def test_a_load_without_details_is_the_same_load() -> None:
    """Loaded without details (what a valid file needs), a file gives the same data and
    positions, and a rejected one the same diagnostic (said as the detailed load says it)."""
    for path in every_fixture():
        raw = path.read_bytes()
        assert loaded(raw, detailed=False) == loaded(raw, detailed=True), path
    duplicate = b"a: 1\nb:\n  c: 2\n  c: 3\n"
    assert loaded(duplicate, detailed=False) == loaded(duplicate, detailed=True)
    assert "first at line 3, column 3" in str(loaded(duplicate, detailed=False)[1])
    assert parse(b"a: 1\n", "t.yaml", detailed=False).details is None
    assert parse(b"a: 1\n", "t.yaml").details == {
        (): Pos(1, 1, 1, 1),
        ("a",): Pos(1, 4, 1, 1, "1", "tag:yaml.org,2002:int"),
    }


def text_values(value: object) -> list[str]:
    """Every text value under *value* (not the keys), in the order of the file."""
    if isinstance(value, str):
        return [value]
    children = value.values() if isinstance(value, dict) else value
    return (
        [t for child in children for t in text_values(child)]
        if isinstance(value, dict | list)
        else []
    )


def test_texts_are_every_text_value_in_order() -> None:
    for path in every_fixture():
        try:
            doc = parse(path.read_bytes(), "t.yaml", detailed=False)
        except _Reject:
            continue
        assert doc.texts == text_values(doc.data), path
    doc = parse(b"a: [x, 1, '2', no, 2026-01-02, <<, ~, {b: c}]\nd: |\n  e\n", "t.yaml")
    assert doc.texts == ["x", "2", "2026-01-02", "<<", "c", "e\n"]


def globbed(root: Path) -> list[Path]:
    """The files `iter_yaml_files` finds, the slow way."""
    found = (p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return sorted(p for p in found if not any(x.startswith(".") for x in p.relative_to(root).parts))


def test_yaml_files_are_found_as_a_glob_finds_them(tmp_path: Path) -> None:
    for folder in ("a", "a-b", "a.b", ".hidden", "b/.git", "c/sub"):
        (tmp_path / folder).mkdir(parents=True)
    for name in ("a/x.yaml", "a-b/y.yml", "a.b/z.yaml", ".hidden/h.yaml", "b/.git/g.yaml"):
        (tmp_path / name).write_text("a: 1\n")
    for name in ("c/sub/w.yaml", "a/.dot.yaml", "a/n.YAML", "a/m.yaml.", "a/k..yaml", "c/t.txt"):
        (tmp_path / name).write_text("a: 1\n")
    (tmp_path / "c" / "folder.yaml").mkdir()
    (tmp_path / "c" / "linked").symlink_to(tmp_path / "a")  # listed, not followed
    (tmp_path / "c" / "l.yaml").symlink_to(tmp_path / "a" / "x.yaml")
    (tmp_path / "c" / "broken.yaml").symlink_to(tmp_path / "nowhere")
    found = list(iter_yaml_files([tmp_path]))
    assert found == globbed(tmp_path) and len(found) == 6
    assert [str(p) for p in found] == [str(p) for p in globbed(tmp_path)]
