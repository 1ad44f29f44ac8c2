"""MkDocs' private API that the plugin leans on (generator/plugin/pages.py says why) is still
what the plugin was written against: a new MkDocs fails here, loudly, before it fails a build
in a subtle way.
"""

from __future__ import annotations

import hashlib
import inspect
from typing import Any

import mkdocs
import pytest
from mkdocs.commands import build
from mkdocs.structure.pages import Page

# The source of each function the plugin copies or stands in for, as of MkDocs 1.6.1.
READ = {
    "mkdocs.commands.build._build_page": (
        build._build_page,
        "adcdbd14b236112697cafec9171bd281981f15a776e0d2f941a62e7bffd9a0d5",
    ),
    "mkdocs.commands.build.get_context": (
        build.get_context,
        "4b4bf8a076edc4a6db12bd98dd89ca78fa6db41608f96634fee1e1ecc5d2b511",
    ),
    "mkdocs.structure.pages.Page.render": (
        Page.render,
        "320529348f7a8af152073d0a3ab02960ccce91f9204716144e51b20931983cc6",
    ),
}


def test_mkdocs_is_the_version_the_plugin_knows() -> None:
    assert mkdocs.__version__.startswith("1.6."), (
        f"MkDocs {mkdocs.__version__}: re-read generator/plugin/pages.py against it"
    )


@pytest.mark.parametrize("name", sorted(READ))
def test_what_the_plugin_copies_is_unchanged(name: str) -> None:
    function: Any
    function, digest = READ[name]
    source = inspect.getsource(function)
    assert hashlib.sha256(source.encode()).hexdigest() == digest, (
        f"MkDocs changed {name}: re-read generator/plugin/pages.py (it copies or stands in for"
        " it), mend it, then record the new digest here"
    )


def test_the_private_attributes_are_still_set_where_the_plugin_sets_them() -> None:
    assert "config._current_page = page" in inspect.getsource(build._build_page)
    render = inspect.getsource(Page.render)
    for attribute in ("_title_from_render", "present_anchor_ids", "links_to_anchors"):
        assert f"self.{attribute}" in render, attribute
