"""The house keeps its shape: each stage imports only earlier stages (and `diagnostics`), MkDocs is
met in one package, processes and the garbage collector in another. Read from the source with
`ast`, imports inside functions included.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"
# The pipeline, in order: a module may import modules of its own stage and of earlier ones.
STAGES = (
    ("diagnostics", "reporters"),  # the one type every stage yields, and its printers
    ("core",),  # load, validate, model, references, audience, what a fill-in value may be
    ("checks",),  # one module a rule family
    ("render",),  # the page layout, escaping, the Markdown and HTML pages
    ("search",),  # entries and the index, from the model and the layout
    ("run",),  # a whole project: loading, the cache, every worker pool
    ("commands",),  # diff, new, urls, render's output
    ("plugin",),  # the MkDocs adapter
    ("cli", "__main__", "__init__"),  # on top
)
# Third-party or standard modules, and the only stage that may import them.
ONLY_IN = {
    "mkdocs": "plugin",
    "material": "plugin",
    "multiprocessing": "run",
    "concurrent": "run",
    "gc": "run",
}


def stage_of(module: str) -> int:
    """The rank of `generator.<part>...` in STAGES."""
    part = module.split(".")[1] if module.count(".") else "__init__"
    for rank, names in enumerate(STAGES):
        if part in names:
            return rank
    raise AssertionError(f"{module} is in no stage: add its package to STAGES")


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imports(path: Path) -> Iterator[tuple[str, int]]:
    """Every module *path* imports (absolute name), with its line."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, node.lineno
            for alias in node.names:  # `from generator import x` imports generator.x
                if node.module == "generator":
                    yield f"generator.{alias.name}", node.lineno


MODULES = list(modules())


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_a_stage_imports_only_earlier_stages(module: str, path: Path) -> None:
    mine = stage_of(module)
    later = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for name, line in imports(path)
        if name.startswith("generator.") and stage_of(name) > mine
    ]
    assert later == [], f"{module} (stage {STAGES[mine]}) imports a later stage"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_mkdocs_processes_and_gc_only_where_they_belong(module: str, path: Path) -> None:
    part = module.split(".")[1] if module.count(".") else "__init__"
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for name, line in imports(path)
        if ONLY_IN.get(name.split(".")[0], part) != part
    ]
    text = path.read_text(encoding="utf-8")
    if part != "run" and "os.fork" in text:
        wrong.append(f"{path.relative_to(ROOT)}: os.fork")
    assert wrong == []


def test_every_package_is_a_stage() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    named = {name for names in STAGES for name in names}
    assert packages <= named
