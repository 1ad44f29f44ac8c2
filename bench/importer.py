"""Benchmark and report of `runbookgen import`.

    python -m bench.importer            # the seeds, then 1,000 generated Markdown runbooks
    python -m bench.importer --n 200

1. The five seeds (../shared/seeds/), each imported and compared with the runbook written by
   hand from it (runbooks/): the share of the hand-made runbook's command lines, checklist
   items, steps, severity levels and contacts that the import recovered (a command line or an
   item counts when its text, blanks made one, is among the imported ones; steps, levels and
   contacts are counted).
2. Speed: N Markdown runbooks (the synthetic runbooks of bench/generate.py, written as Markdown
   by `runbookgen render`) imported in one process: seconds in all and milliseconds a file; and
   the hostile inputs of issue 19 (a 50 MB file, 10,000 nested list items, an unclosed fence,
   a 10,000-column table, binary input), each timed.
3. With --corpus DIR (the real runbooks of tests/fixtures/sources/runbooks.yaml): each file's
   atoms kept on its page, notes raised, check errors, and the import's time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.generate import generate
from generator.commands.importer.sources import import_files
from generator.core.model import Check, Runbook, Site
from generator.core.references import all_steps
from generator.run.pages import render_site
from generator.run.project import load_site

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
SERVICES = ("akaind", "compose", "hafnium", "hotswap", "inflow")


def _words(text: str) -> str:
    return " ".join(text.split())


def _checks(checks: tuple[Check, ...]) -> Iterator[str]:
    for check in checks:
        yield _words(check.text)
        yield from _checks(check.items)


def parts(runbook: Runbook, site: Site) -> dict[str, list[str]]:
    steps = list(all_steps(runbook))
    runs = [c.run for s in steps for c in s.commands]
    runs += [r.command for t in runbook.decision_tables for r in t.rows if r.command]
    # A command is compared line by line: a block of five commands is five, however split.
    commands = [_words(line) for run in runs for line in run.splitlines() if line.strip()]
    scheme = site.scheme_of(runbook)
    return {
        "commands": commands,
        "checklist items": [t for s in steps for t in _checks(s.checklist)],
        "steps": [str(i) for i in range(len(steps))],
        "severity levels": [lv.id for lv in scheme.levels] if scheme else [],
        "contacts": [c.id for c in site.contacts_of(runbook)],
    }


def seed_service(text: str) -> str:
    return max(SERVICES, key=lambda s: text.lower().count(s))


def recovered(hand: list[str], got: list[str], kind: str) -> str:
    if not hand:
        return "-"
    if kind in ("steps", "contacts"):  # counted, not matched
        share = min(len(got), len(hand)) / len(hand)
    else:
        pool = list(got)
        found = 0
        for item in hand:
            if item in pool:
                pool.remove(item)
                found += 1
        share = found / len(hand)
    return f"{share:.0%} ({len(got)}/{len(hand)})"


def seeds_table(work: Path) -> str:
    rows = []
    for seed in sorted(SEEDS.glob("*.txt")):
        service = seed_service(seed.read_text(encoding="utf-8"))
        done = import_files([seed], work / seed.stem, root=SEEDS)
        (imported,) = done.written
        mine = load_site([imported])
        hand = load_site([ROOT / "runbooks" / service])
        got = parts(mine.runbooks[0], mine)
        (hand_runbook,) = hand.runbooks
        want = parts(hand_runbook, hand)
        notes = sum(d.severity.value == "note" for d in done.diagnostics)
        rows.append([service, *(recovered(want[k], got[k], k) for k in want), str(notes)])
    head = ["seed", "commands", "checklist items", "steps", "severity levels", "contacts", "notes"]
    return _markdown_table(head, rows)


def speed_table(work: Path, n: int) -> str:
    project = work / "generated"
    generate(project / "runbooks", n)
    site = load_site([project / "runbooks"])
    pages = render_site(site, today=dt.date(2026, 11, 23))
    markdown = work / "markdown"
    for path, text in pages.items():
        if path.startswith("runbooks/"):
            target = markdown / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    files = sorted(markdown.rglob("*.md"))
    started, cpu = time.perf_counter(), time.process_time()
    done = import_files([markdown], work / "imported", root=markdown)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    rows = [
        [
            "import, Markdown runbooks",
            str(len(files)),
            f"{elapsed:.2f}",
            f"{cpu:.2f}",
            f"{1000 * elapsed / len(files):.1f}",
        ],
    ]
    assert len(done.written) == len(files)
    for name, content in hostile():
        source = work / "hostile" / name
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(content)
        started, cpu = time.perf_counter(), time.process_time()
        done = import_files([source], work / "hostile-out", root=source.parent, force=True)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        said = ", ".join(sorted({d.code for d in done.diagnostics})) or "imported"
        row = [f"hostile: {name} ({said})", "1", f"{elapsed:.2f}", f"{cpu:.2f}"]
        rows.append([*row, f"{1000 * elapsed:.0f}"])
    return _markdown_table(["what", "files", "seconds", "CPU seconds", "ms a file"], rows)


def hostile() -> Iterator[tuple[str, bytes]]:
    yield "50mb.md", b"# Big\n\n## Fix\n\n" + b"Words and more words. " * 2_300_000
    yield "nested.md", b"# T\n\n## Fix\n\n" + b"".join(b" " * i + b"- x\n" for i in range(3_000))
    yield "nested-10000.md", b"# T\n\n## Fix\n\n" + b"- " * 10_000 + b"x\n"
    yield "quotes-10000.md", b"# T\n\n## Fix\n\n" + b"> " * 10_000 + b"x\n"
    yield "unclosed.md", b"# T\n\n## Fix\n\n```bash\n" + b"kubectl get pods\n" * 50_000
    yield "wide.md", b"# T\n\n## Fix\n\n|" + b"a|" * 10_000 + b"\n|" + b"-|" * 10_000 + b"\n"
    yield "binary.md", bytes(range(256)) * 4096


def corpus_table(corpus: Path, work: Path) -> str:
    """Each real runbook of tests/fixtures/sources/runbooks.yaml found in *corpus*: its atoms
    kept, the notes raised, the check errors, the time of the import alone."""
    from tests.test_import_corpus import ENTRIES, imported

    rows = []
    for number, entry in enumerate(ENTRIES):
        source = corpus / entry["file"]
        if not source.is_file():
            rows.append([entry["file"], "missing", "", "", ""])
            continue
        started = time.perf_counter()
        import_files([source], work / f"timed-{number}", root=corpus)
        elapsed = time.perf_counter() - started
        found = imported(source, work / f"corpus-{number}")
        kept = f"{found['atoms'] - len(found['lost'])}/{found['atoms']}"
        notes = str(sum(" note " in n for n in found["notes"]))
        rows.append(
            [entry["file"], kept, notes, ", ".join(found["errors"]) or "0", f"{elapsed * 1000:.0f}"]
        )
    return _markdown_table(["file", "atoms kept", "notes", "check errors", "ms"], rows)


def _markdown_table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="generated runbooks to import")
    parser.add_argument("--corpus", type=Path, help="folder of the real runbooks (their table)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        if args.corpus:
            print(corpus_table(args.corpus, work))
            print()
        print(seeds_table(work))
        print()
        print(speed_table(work, args.n))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
