"""`runbookgen alerts check` at scale: 5,000 alerting rules against 3,000 runbooks.

The runbooks are bench/generate.py's, each procedure declaring one alert; the rules are
PrometheusRule files (kube-prometheus' shape, 50 rules a file, one recording rule in ten) whose
`runbook_url`s are right, wrong, missing, templated or on another site. Prints a Markdown table:

    python -m bench.alerts [--runbooks 3000] [--rules 5000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.generate import dump, runbook, runbook_ids
from generator.commands.alerts.annotate import annotate
from generator.commands.alerts.check import Options, check_alerts, read_all
from generator.run.project import load_site

SITE = "https://runbooks.example.com/"
PER_FILE = 50


def write_runbooks(out: Path, n: int) -> list[tuple[str, str]]:
    """N runbooks; returns (alert, runbook#procedure) of every alert they declare."""
    ids = runbook_ids(n, 7)
    declared = []
    for index, (service, ident) in enumerate(ids):
        data = runbook(index, ids, 7)
        for k, procedure in enumerate(data["procedures"]):
            alert = f"Bench{index:05d}Scenario{k + 1}"
            procedure["alerts"] = [alert]
            declared.append((alert, f"{ident}#{procedure['id']}"))
        path = out / service / f"{ident}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(data), encoding="utf-8")
    return declared


def rule_lines(i: int, alert: str, target: str) -> Iterator[str]:
    page, _, anchor = target.partition("#")
    yield f"    - alert: {alert}"
    yield f'      expr: rate(errors_total{{job="job-{i}"}}[5m]) > 0.1'
    yield "      labels:"
    yield f"        severity: {'critical' if i % 3 == 0 else 'warning'}"
    kind = i % 10
    if kind == 9:
        return  # no annotations
    yield "      annotations:"
    yield "        summary: Errors are high."
    urls = {
        7: f"{SITE}runbooks/{page}/#no-such-anchor",
        8: f"https://runbooks.prometheus-operator.dev/runbooks/bench/{alert.lower()}",
        6: f"{SITE}runbooks/{{{{ $labels.namespace }}}}-{page.partition('-')[2]}/#{anchor}",
    }
    yield f"        runbook_url: {urls.get(kind, f'{SITE}runbooks/{page}/#{anchor}')}"


def write_rules(out: Path, declared: list[tuple[str, str]], n: int) -> None:
    """N alerting rules (and a recording rule every ten) in PrometheusRule files."""
    out.mkdir(parents=True, exist_ok=True)
    for start in range(0, n, PER_FILE):
        lines = ["apiVersion: monitoring.coreos.com/v1", "kind: PrometheusRule"]
        lines += ["metadata:", f"  name: bench-{start}", "spec:", "  groups:", "  - name: bench"]
        lines.append("    rules:")
        for i in range(start, min(start + PER_FILE, n)):
            alert, target = declared[i % len(declared)] if i < len(declared) else (f"X{i}", "")
            lines += list(rule_lines(i, alert, target or "none#none"))
            if i % 10 == 0:
                lines += [f"    - record: job:errors:rate{i}", "      expr: sum(rate(errors[5m]))"]
        (out / f"rules-{start:05d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(what: str, rows: list[list[str]], call: object) -> object:
    started = time.perf_counter()
    result = call()  # type: ignore[operator]
    rows.append([what, f"{time.perf_counter() - started:.2f}"])
    return result


def _cli(work: Path) -> None:
    """The command as a user runs it, in the project's folder (where its cache is)."""
    from click.testing import CliRunner

    from generator.cli import main as cli

    here = os.getcwd()
    os.chdir(work)
    try:
        args = ["alerts", "check", "rules", "--runbooks", "runbooks", "--site-url", SITE]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code in (0, 1), result.output
    finally:
        os.chdir(here)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runbooks", type=int, default=3000)
    parser.add_argument("--rules", type=int, default=5000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-alerts-"))
    try:
        declared = write_runbooks(work / "runbooks", args.runbooks)
        write_rules(work / "rules", declared, args.rules)
        rows: list[list[str]] = []
        site = timed(
            "load the runbooks (`load_site`, no cache)",
            rows,
            lambda: load_site([work / "runbooks"]),
        )
        timed("read the rule files", rows, lambda: read_all([work / "rules"]))
        options = Options(SITE)
        found = timed(
            "alerts check (rules read and judged)",
            rows,
            lambda: check_alerts([work / "rules"], site, options),  # type: ignore[arg-type]
        )
        timed(
            "alerts annotate, nothing written", rows, lambda: annotate([work / "rules"], site, SITE)
        )  # type: ignore[arg-type]
        timed("`runbookgen alerts check`, first run (fills the cache)", rows, lambda: _cli(work))
        timed("`runbookgen alerts check`, again (the cache warm)", rows, lambda: _cli(work))
        codes: dict[str, int] = {}
        for d in found:  # type: ignore[attr-defined]
            codes[d.code] = codes.get(d.code, 0) + 1
        print(f"{args.rules:,} alerting rules, {args.runbooks:,} runbooks; found: {codes}\n")
        print("| step | seconds |\n| --- | ---: |")
        print("\n".join(f"| {what} | {sec} |" for what, sec in rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
