"""A runbook's positions: a dict while the checks that follow its building read them, one packed
blob in a loaded site and in its pickles, and the same mapping either way."""

from __future__ import annotations

import pickle

from generator.loader import load
from generator.model import Positions, build_runbook
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
