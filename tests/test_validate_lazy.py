"""jsonschema explains errors and is imported only then: a run in which every file is valid
never imports it. The compiled schema's date check says what jsonschema's says."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st
from jsonschema import FormatChecker

from generator.core.fastvalidate import is_date
from tests.conftest import FIXTURES, ROOT, TODAY

PROBE = """
import sys
from click.testing import CliRunner
from generator.cli import main
result = CliRunner().invoke(main, ["check", "--no-cache", "--today", sys.argv[1], *sys.argv[2:]])
print(result.exit_code, "jsonschema" in sys.modules)
"""


def imports_jsonschema(*paths: str) -> tuple[str, str]:
    command = [sys.executable, "-c", PROBE, TODAY.isoformat(), *paths]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    code, imported = done.stdout.split()
    return code, imported


def test_valid_files_need_no_jsonschema() -> None:
    assert imports_jsonschema(str(FIXTURES / "valid")) == ("0", "False")


def test_an_invalid_file_is_explained_by_jsonschema() -> None:
    invalid = sorted((FIXTURES / "invalid").glob("schema-*.yaml"))[0]
    assert imports_jsonschema(str(invalid)) == ("1", "True")


DATES = ["2026-11-23", "2024-02-29", "2023-02-29", "2026-13-01", "2026-1-01", "2026-01-01\n"]


@given(st.one_of(st.sampled_from(DATES), st.text(alphabet="0123456789-\n ٣", max_size=11)))
def test_dates_as_jsonschema_checks_them(value: str) -> None:
    assert is_date(value) == FormatChecker(["date"]).conforms(value, "date")


def test_real_dates() -> None:
    assert is_date(dt.date(2024, 2, 29).isoformat())
    assert not is_date("2023-02-29")
