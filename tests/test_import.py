"""`runbookgen import`: Markdown runbooks become runbook files that check with no error and whose
pages hold every atom of the source (tests/real_atoms.py: code lines, checklist items, table
cells, link targets), the five seeds first; the same input gives the same output; nothing is
replaced without --force; hostile input gives a diagnostic, not a traceback."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.checks import run_checks
from generator.cli import main
from generator.commands.importer.sources import import_files
from generator.commands.importer.tables import PROGRAMS
from generator.render.html import render_inputs_html
from generator.render.markdown import runbook_inputs
from generator.run.project import load_project
from tests.conftest import FIXTURES, ROOT, TODAY
from tests.real_atoms import atoms
from tests.test_real_runbooks import Page

SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
REAL_SAMPLE = FIXTURES / "real" / "sample.md"


def imported(tmp_path: Path, source: Path) -> tuple[Path, list[str]]:
    """The runbook file made of *source*, and the notes."""
    done = import_files([source], tmp_path / "out", root=source.parent)
    (target,) = done.written
    return target, [str(d) for d in done.diagnostics]


def page_and_errors(path: Path, *others: Path) -> tuple[Page, list[str]]:
    """The page of the runbook *path* (checked with *others*, runbooks it links to), and the
    errors `check` finds."""
    site, checked = load_project([path, *others, FIXTURES / "valid" / "contacts.yaml"], jobs=1)
    found = run_checks(checked, today=TODAY)
    errors = [str(d) for d in [*checked.diagnostics, *found] if d.severity == "error"]
    assert len(site.runbooks) == 1 + len(others), [str(d) for d in checked.diagnostics]
    (runbook,) = (
        [r for r in site.runbooks if r.source.path == str(path)] if others else site.runbooks
    )
    html = render_inputs_html(runbook_inputs(runbook, site, today=TODAY)).content
    return Page(html), errors


def kept(page: Page, atom: str, source: str, notes: list[str]) -> bool:
    """Whether the page keeps *atom* of *source*, as the import means to: a `[ ] item` line of
    a code block is a checklist item; the header cells of a severity, contact or escalation
    table are the page's own column names."""
    if page.has(atom):
        return True
    kind, _, text = atom.partition(": ")
    task = re.fullmatch(r"\[[ xX]\] (.*)", text)
    if kind == "code" and task:
        return page.has(f"check: {task[1]}")
    if kind == "code" and "-->" in text:  # a line of a flowchart that became the flow: its boxes
        labels = re.findall(r'[\[{(|]"?([^\]}|)"]+)"?[\]})|]', text)
        return bool(labels) and all(page.has(f'text: "{label.strip()}"') for label in labels)
    if kind == "link" and text.startswith("#") and f"a link to {text}," in " ".join(notes):
        return True  # an anchor the source does not have either: its label is kept, noted
    if kind != "cell":
        return False
    # The header cells of a severity table are the scheme's own column names (its rows are the
    # levels); those of a contact, escalation, revision or alert table the page's (How to reach,
    # After, Action, History, Alert:); a contact cell of several channels is a channel each.
    header = re.search(r"^\|?\s*(?:level|severity|sev|priority)\b.*$", source, re.I | re.M)
    if header is not None and text in header[0]:
        return True
    mapped = r"^\|?\s*(?:role|who|team|name|after|time|when|version)\b[^\n]*\n\|?\s*:?-{3}"
    heads = re.findall(mapped, source, re.I | re.M)
    titles = ("How to reach", "Action", "History", "Alert:")  # the page's for what they became
    shown = any(page.has(f"text: {title}") for title in titles)
    if shown and any(text in h.split("\n")[0] for h in heads):
        return True
    # A cell that ends in a command is its words and, in the command column, the command.
    inline = re.fullmatch(rf"(.*\S)\s+((?:{PROGRAMS})\s.+)", text)
    if inline and page.has(f"text: {inline[1]}") and page.has(f"text: {inline[2]}"):
        return True
    pieces = [p.strip() for p in re.split(r"[;,]", text)]
    return (
        len(pieces) > 1
        and page.has("text: How to reach")
        and all(page.has(f"text: {p}") for p in pieces)
    )


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_a_seed_imports_checks_and_keeps_every_atom(tmp_path: Path, seed: Path) -> None:
    target, notes = imported(tmp_path, seed)
    page, errors = page_and_errors(target)
    assert errors == []
    source = seed.read_text(encoding="utf-8")
    expected = atoms(source)
    lost = [a for a in expected if not kept(page, a, source, notes)]
    assert lost == [], f"{len(lost)} of {len(expected)} atoms lost"


def test_the_sample_of_every_construct_keeps_every_atom(tmp_path: Path) -> None:
    target, notes = imported(tmp_path, REAL_SAMPLE)
    page, errors = page_and_errors(target)
    assert errors == []
    source = REAL_SAMPLE.read_text(encoding="utf-8")
    lost = [a for a in atoms(source) if not kept(page, a, source, notes)]
    assert lost == []


ALERT = """\
---
title: KubePodCrashLooping
---
# KubePodCrashLooping

## Meaning

A pod is restarting again and again.

## Impact

Its service may be degraded.

## Diagnosis

- [ ] Check the pod's events
- [x] Read its logs
  - [ ] the previous container's too

```bash
$ kubectl -n <namespace> describe pod <pod>
```

## Mitigation

If the image is wrong:

```shell
kubectl -n <namespace> rollout undo deploy/<deployment>
```

!!! warning "Careful"
    Rolling back restarts every pod.
"""


def test_an_alert_runbook_becomes_a_procedure_for_its_alert(tmp_path: Path) -> None:
    source = tmp_path / "KubePodCrashLooping.md"
    source.write_text(ALERT)
    target, _ = imported(tmp_path, source)
    data = yaml.safe_load(target.read_text())
    (procedure,) = data["procedures"]
    assert procedure["alerts"] == ["KubePodCrashLooping"]
    assert procedure["summary"] == "A pod is restarting again and again."
    assert procedure["impact"] == "Its service may be degraded."
    diagnosis = procedure["diagnosis"]
    assert diagnosis[0]["checklist"] == [
        "Check the pod's events",
        {"text": "Read its logs", "done": True, "items": ["the previous container's too"]},
    ]
    assert diagnosis[0]["commands"] == [{"run": "kubectl -n <namespace> describe pod <pod>"}]
    resolution = procedure["resolution"]
    assert resolution[0]["when"] == "the image is wrong"
    assert resolution[0]["commands"][0]["language"] == "shell"
    assert resolution[0]["callouts"] == [
        {"kind": "warning", "title": "Careful", "text": "Rolling back restarts every pod."}
    ]
    page, errors = page_and_errors(target)
    assert errors == []
    assert page.has("code: kubectl -n <namespace> rollout undo deploy/<deployment>")


def test_the_same_input_gives_the_same_output(tmp_path: Path) -> None:
    source = tmp_path / "alert.md"
    source.write_text(ALERT)
    first = import_files([source], tmp_path / "a", root=tmp_path)
    second = import_files([source], tmp_path / "b", root=tmp_path)
    assert [p.read_bytes() for p in first.written] == [p.read_bytes() for p in second.written]


def test_the_yaml_reads_back_as_the_data(tmp_path: Path) -> None:
    from generator.commands.importer.yaml_out import dump

    data = {
        "id": "x",
        "title": "Odd: texts # that `need` quotes",
        "phases": [
            {
                "id": "p",
                "title": "yes",
                "steps": [
                    {"commands": [{"run": "echo 'a'  \n\tindented\n"}, {"run": "one: line"}]},
                    {"text": "- starts like a list\nand {{ braces }}"},
                ],
            }
        ],
    }
    assert yaml.safe_load(dump(data, header=["a", "", "b"])) == data


@settings(max_examples=2000, deadline=None)
@example("kubectl get pods \\\n  -n x\n")
@example("# a comment\nrm -rf /tmp/x")
@example("--- a\nb")
@example("a: b\nc")
@example("Restart the pod (see <pod>); then 'wait' & check $HOME")
@example("Restart the pod ")
@given(
    st.one_of(
        st.text(),
        st.text(alphabet=st.characters(min_codepoint=9, max_codepoint=127)),
        st.text(alphabet="ab -#:\n'\"\\.{}[],?|>*&!%@`~\t("),
    )
)
def test_the_quick_scalar_analysis_is_pyyamls(text: str) -> None:
    """yaml_out's shortcut gives the analysis PyYAML's emitter would, for any text."""
    from yaml.emitter import Emitter

    from generator.commands.importer.yaml_out import _Dumper

    ours = _Dumper(io.StringIO(), allow_unicode=True).analyze_scalar(text)
    theirs = Emitter.analyze_scalar(_Dumper(io.StringIO(), allow_unicode=True), text)
    assert vars(ours) == vars(theirs)


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    source = tmp_path / "alert.md"
    source.write_text(ALERT)
    out = tmp_path / "runbooks"
    out.mkdir()
    (out / "alert.yaml").write_text("mine\n")
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert "exists: left as it is (use --force to replace it)" in result.output
    assert (out / "alert.yaml").read_text() == "mine\n"
    result = runner.invoke(main, ["import", str(source), "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert (out / "alert.yaml").read_text().startswith("# Imported from")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("binary.md", bytes(range(256)) * 64),
        ("unclosed.md", b"# T\n\n## Fix\n\n```bash\nkubectl get pods\n" + b"line\n" * 1000),
        ("deep.md", b"# T\n\n## Fix\n\n" + b"".join(b"  " * i + b"- x\n" for i in range(3000))),
        ("wide.md", b"# T\n\n## Fix\n\n|" + b"a|" * 10000 + b"\n|" + b"-|" * 10000 + b"\n"),
        ("quotes.md", b"# T\n\n## Fix\n\n" + b"> " * 10000 + b"deep\n"),
        ("latin1.md", "# Caf\u00e9\n\n## R\u00e9parer\n\nRed\u00e9marrer.\n".encode("latin-1")),
        ("mojibake.md", "# Don’t\n\n## Fix\n\nIt’s down.\n".encode().decode("cp1252").encode()),
    ],
)
def test_hostile_input_gives_a_diagnostic_not_a_traceback(
    tmp_path: Path, name: str, content: bytes
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    done = import_files([source], tmp_path / "out", root=tmp_path)  # how fast: bench/importer.py
    for target in done.written:
        _, errors = page_and_errors(target)
        assert errors == []
    codes = {d.code for d in done.diagnostics}
    if name == "binary.md":
        assert codes == {"RB001"} and not done.written
    if name == "latin1.md":
        assert "RB909" in codes
        assert "Réparer" in next(iter(done.written)).read_text(encoding="utf-8")
    if name == "mojibake.md":
        assert "RB910" in codes
        assert "It’s down." in next(iter(done.written)).read_text(encoding="utf-8")


class _PlainDumper(yaml.SafeDumper):
    """PyYAML as it is, indenting lists as yaml_out's dumper does (its other overrides only
    make it faster)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_DATA = st.recursive(
    st.one_of(st.text(), st.text(alphabet="ab :-#'\"\n\t\\"), st.booleans(), st.integers()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(alphabet="abc_- ", min_size=1, max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(alphabet="abc", min_size=1, max_size=3), _DATA, max_size=5))
def test_the_yaml_writer_writes_what_pyyaml_writes(data: dict[str, object]) -> None:
    from generator.commands.importer.yaml_out import _Dumper, _text

    _PlainDumper.add_representer(str, _text)
    options = {"sort_keys": False, "allow_unicode": True, "width": 100}
    ours = yaml.dump(data, Dumper=_Dumper, default_flow_style=False, **options)
    theirs = yaml.dump(data, Dumper=_PlainDumper, default_flow_style=False, **options)
    assert ours == theirs
