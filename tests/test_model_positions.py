"""A runbook's positions: a dict while the checks that follow its building read them, one packed
blob in a loaded site and in its pickles, and the same mapping either way."""

from __future__ import annotations

import io
import pickle
from dataclasses import FrozenInstanceError, fields

import pytest

from generator.core.loader import load
from generator.core.model import Positions, Runbook, Site, build_runbook
from generator.core.references import outline
from generator.run.project import _result, file_check
from tests.conftest import FIXTURES


def test_built_runbook_keeps_its_dict_until_packed() -> None:
    doc, _ = load(FIXTURES / "valid" / "full.yaml")
    assert doc is not None
    runbook = build_runbook(doc)
    expected = dict(doc.positions)
    assert doc.details is not None  # loaded detailed: the same lines and columns there
    assert expected == {path: (pos.line, pos.col) for path, pos in doc.details.items()}
    assert dict(runbook.positions) == expected
    runbook.positions.pack()
    assert runbook.positions._map is None  # only the blob is kept
    assert dict(runbook.positions) == expected  # decoded again when asked
    copy = pickle.loads(pickle.dumps(runbook))
    assert copy.positions._map is None
    assert copy.positions == runbook.positions
    assert copy.at("phases", 0, "id") == runbook.at("phases", 0, "id")


def test_pickles_never_hold_the_decoded_copy() -> None:
    positions = Positions({("a",): (1, 2), ("a", 0): (2, 4)})
    state = positions.__getstate__()
    assert isinstance(state, bytes)
    assert pickle.loads(pickle.dumps(positions)) == positions
    assert pickle.loads(pickle.dumps(positions))._map is None


def test_empty() -> None:
    assert len(Positions()) == 0
    assert pickle.loads(pickle.dumps(Positions())) == Positions()


def default_pickle(value: object) -> bytes:
    """*value* pickled as `object.__reduce_ex__` reduces it (no `copyreg` registrations)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {}
    pickler.dump(value)
    return out.getvalue()


def test_registered_classes_pickle_into_the_default_bytes() -> None:
    runbook = fixture_runbook()
    for value in (runbook, runbook.phases, Site(runbooks=[runbook]), outline(runbook)):
        assert pickle.dumps(value, pickle.HIGHEST_PROTOCOL) == default_pickle(value)
    result = _result("full.yaml", (FIXTURES / "valid" / "full.yaml").read_bytes(), [])
    check = file_check(result)
    assert pickle.dumps(check, pickle.HIGHEST_PROTOCOL) == default_pickle(check)
    assert pickle.loads(pickle.dumps(check)) == check


def test_steps_and_commands_made_as_their_constructors_make_them() -> None:
    """The builder makes these without their `__init__`: the same fields, in the same order."""
    runbook = fixture_runbook()
    steps = [step for phase in runbook.phases for step in phase.steps]
    commands = [command for step in steps for command in step.commands]
    assert steps and commands
    for made in [*steps, *commands, runbook.source, *(step.source for step in steps)]:
        values = {each.name: getattr(made, each.name) for each in fields(made)}
        again = type(made)(**values)
        assert again == made and vars(again) == vars(made)
        assert list(vars(made)) == [each.name for each in fields(made)]
        with pytest.raises(FrozenInstanceError):
            made.text = "changed"  # type: ignore[misc, union-attr]


def fixture_runbook() -> Runbook:
    doc, _ = load(FIXTURES / "valid" / "full.yaml")
    assert doc is not None
    return build_runbook(doc)
