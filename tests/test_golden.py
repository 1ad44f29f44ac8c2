"""Rendered Markdown compared with reviewed golden files. Regenerate: pytest --update-golden."""

from __future__ import annotations

import pytest

from generator.run.pages import render_site
from generator.run.project import load_site
from tests.conftest import FIXTURES, ROOT, TODAY

GOLDEN = ROOT / "tests" / "golden"


def rendered() -> dict[str, str]:
    return render_site(
        load_site([FIXTURES / "valid"]),
        today=TODAY,
        sources={"db-connections": "runbooks/full.yaml"},
    )


@pytest.mark.parametrize(
    "page",
    [
        "runbooks/db-connections.md",
        "index.md",
        "severity.md",
        "escalation.md",
        "symptoms.md",
        "services/postgres.md",
    ],
)
def test_golden(page: str, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / page.replace("/", "__")
    text = rendered()[page]
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), (
        f"no golden file {golden}: run pytest --update-golden and review the diff"
    )
    assert text == golden.read_text(encoding="utf-8"), (
        f"{page} changed: review, then pytest --update-golden"
    )


def test_rendering_is_deterministic() -> None:
    assert rendered() == rendered()
