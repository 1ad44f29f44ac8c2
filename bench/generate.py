"""N synthetic, schema-valid runbooks shaped like the seeds, for the benchmark.

The same seed always gives the same files. Each runbook is about 300 lines (15 KB) of YAML:
a flowchart, four or five phases with checklists and commands, a triage table, three or four
procedures, templates and links (some to other runbooks); about 15 command blocks in all.
Runbooks are grouped by service (about 25 a service), with one shared severity scheme and
one shared contacts file.

    python -m bench.generate OUT N
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

PER_SERVICE = 25
TEAMS = 12


def _words(text: str) -> list[str]:
    return text.split()


HEADER = "# yaml-language-server: $schema=../../../schemas/runbook.schema.json\n"

WORDS = _words(
    "account api archive audit auth backlog balancer batch billing bucket cache catalog "
    "certificate checkout cluster config connector consumer cron dashboard database dns "
    "edge email export feed gateway graph identity image index ingest inventory invoice "
    "job kafka ledger license loader login mailer media mesh metrics notification order "
    "partner payment pipeline pricing profile proxy queue quota ranking redis registry "
    "replica report resolver router scheduler search session shard shipping signup storage "
    "stream sync tenant throttle token tracker upload user vault webhook worker"
)
ADJECTIVES = _words(
    "slow stale failing degraded saturated unreachable flapping delayed corrupt throttled "
    "partial missing duplicated expired overloaded stuck leaking noisy"
)
VERBS = _words(
    "restart drain rotate scale flush rebuild reindex replay throttle pause resume promote "
    "fail-over purge compact resync rollback"
)
TOOLS = ("kubectl", "psql", "redis-cli", "curl", "aws", "systemctl", "journalctl", "docker")
FILLER = _words(
    "the on-call engineer checks the error budget before acting and writes every change in "
    "the incident channel so that the next responder can follow what happened and why it was "
    "done that way without asking again during the handover between shifts"
)


class _Dumper(yaml.SafeDumper):
    """Block style, keys in order, multi-line text as `|` blocks (as people write runbooks)."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


class _Writer:
    """Draws words and shapes from one seeded random generator."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)

    def words(self, low: int, high: int) -> str:
        count = self.rnd.randint(low, high)
        pool = WORDS + ADJECTIVES + FILLER
        return " ".join(self.rnd.choice(pool) for _ in range(count))

    def sentence(self, low: int = 6, high: int = 16) -> str:
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def title(self) -> str:
        return self.words(2, 5).capitalize()

    def command(self, variables: list[str], *, destructive: bool = False) -> dict[str, Any]:
        tool = self.rnd.choice(TOOLS)
        var = self.rnd.choice(variables)
        lines = [f"# {self.sentence(3, 8)}"]
        for _ in range(self.rnd.randint(1, 4)):
            args = " ".join(f"--{self.rnd.choice(WORDS)}" for _ in range(self.rnd.randint(1, 3)))
            lines.append(f"{tool} {self.rnd.choice(VERBS)} <{var}> {args}")
        if self.rnd.random() < 0.25:  # globs and SQL stars, as real commands have
            lines.append(f"ls /var/log/{self.rnd.choice(WORDS)}/*.log | xargs grep -c ERROR")
        command: dict[str, Any] = {
            "run": "\n".join(lines) + "\n",
            "description": self.sentence(5, 12),
        }
        if self.rnd.random() < 0.2:
            command["language"] = "sql" if tool == "psql" else "bash"
        if self.rnd.random() < 0.3:
            command["output"] = f"{self.rnd.choice(WORDS)} {self.rnd.choice(ADJECTIVES)} 0 1 2\n"
        if destructive:
            command["destructive"] = {
                "reason": self.sentence(6, 12),
                "precondition": self.sentence(6, 14),
                "rollback": self.sentence(6, 14),
            }
        return command


def severity_scheme() -> dict[str, Any]:
    """The shared severity scheme every runbook uses."""
    levels = [
        ("SEV1", "Complete outage", "5 minutes"),
        ("SEV2", "Major degradation", "15 minutes"),
        ("SEV3", "Minor degradation", "1 hour"),
        ("SEV4", "Low impact", "Next business day"),
    ]
    return {
        "kind": "severity-scheme",
        "id": "bench-severity",
        "title": "Severity levels",
        "levels": [
            {"id": i, "description": d, "response_time": t, "examples": [d + " of a service"]}
            for i, d, t in levels
        ],
    }


def contacts() -> dict[str, Any]:
    """The shared contacts: one team per owner, plus on-call and leads."""
    people = [
        {
            "id": f"team-{i:02d}",
            "role": f"Team {i:02d} ({WORDS[i * 3 % len(WORDS)]})",
            "tier": "primary",
            "channels": [
                {"type": "slack", "value": f"#team-{i:02d}"},
                {"type": "email", "value": f"team-{i:02d}@example.com"},
            ],
        }
        for i in range(TEAMS)
    ]
    people.append(
        {
            "id": "on-call",
            "role": "On-call SRE",
            "tier": "primary",
            "channels": [{"type": "pagerduty", "value": "SRE rotation"}],
        }
    )
    people.append(
        {
            "id": "eng-lead",
            "role": "Engineering lead",
            "tier": "secondary",
            "channels": [{"type": "phone", "value": "+1-555-0100", "internal": True}],
        }
    )
    return {"kind": "contacts", "id": "bench-contacts", "title": "Contacts", "contacts": people}


def runbook_ids(n: int, seed: int) -> list[tuple[str, str]]:
    """(service, id) of every runbook, in order."""
    rnd = random.Random(seed)
    services = [f"{WORDS[i % len(WORDS)]}-svc-{i:03d}" for i in range(max(1, n // PER_SERVICE))]
    out = []
    for i in range(n):
        service = services[i % len(services)]
        out.append((service, f"{service}-{rnd.choice(WORDS)}-{rnd.choice(ADJECTIVES)}-{i:05d}"))
    return out


def runbook(index: int, ids: list[tuple[str, str]], seed: int) -> dict[str, Any]:
    """One runbook: the index-th of *ids*."""
    w = _Writer(seed * 100_003 + index)
    service, ident = ids[index]
    variables = [f"{name}-{k}" for k, name in enumerate(w.rnd.sample(WORDS, 4))]
    phases = _phases(w, variables)
    procedures = _procedures(w, variables)
    return {
        "id": ident,
        "title": f"{w.title()} ({service})",
        "summary": w.sentence(15, 35),
        "services": [service, w.rnd.choice(WORDS)],
        "owner": f"team-{index % TEAMS:02d}",
        "version": f"1.{w.rnd.randint(0, 20)}",
        "last_reviewed": f"2026-{w.rnd.randint(6, 10):02d}-{w.rnd.randint(1, 28):02d}",
        "next_review": f"2027-{w.rnd.randint(6, 12):02d}-{w.rnd.randint(1, 28):02d}",
        "tags": sorted(set(w.rnd.sample(WORDS, w.rnd.randint(3, 6)))),
        "history": [
            {"version": f"1.{k}", "date": f"2026-0{k + 1}-15", "changes": w.sentence(4, 10)}
            for k in range(w.rnd.randint(1, 3))
        ],
        "severity": "bench-severity",
        "contacts": [f"team-{index % TEAMS:02d}", "on-call", "eng-lead"],
        "escalation": [
            {"after": "15 min", "condition": "no progress", "action": w.sentence(3, 8)},
            {"after": "1 hour", "action": w.sentence(3, 8), "contact": "eng-lead"},
        ],
        "variables": [
            {"name": v, "description": w.sentence(6, 12), "example": f"{v}-01"} for v in variables
        ],
        "flow": _flow(w, phases),
        "phases": phases,
        "decision_tables": [_table(w, phases[2]["id"])],
        "procedures": procedures,
        "templates": _templates(w),
        "links": _links(w, index, ids),
    }


def _phases(w: _Writer, variables: list[str]) -> list[dict[str, Any]]:
    names = ["detect", "assess", "mitigate", "resolve", "follow-up"][: w.rnd.randint(4, 5)]
    phases = []
    for k, name in enumerate(names):
        steps: list[dict[str, Any]] = [
            {"title": w.title(), "checklist": [w.sentence(3, 8) for _ in range(3)]}
        ]
        if k < 3:
            steps.append({"title": w.title(), "commands": [w.command(variables) for _ in range(2)]})
        steps.append({"text": w.sentence(10, 25), "items": [w.sentence(3, 9) for _ in range(3)]})
        phases.append(
            {
                "id": name,
                "title": f"{k + 1}. {w.title()}",
                "time_budget": f"{5 * (k + 1)} min",
                "goal": w.sentence(6, 14),
                "steps": steps,
            }
        )
    phases[-1]["steps"].append({"template": "status-update"})
    return phases


def _procedures(w: _Writer, variables: list[str]) -> list[dict[str, Any]]:
    procedures = []
    for k in range(w.rnd.randint(3, 4)):
        procedures.append(
            {
                "id": f"scenario-{k + 1}",
                "title": f"{w.rnd.choice(ADJECTIVES).capitalize()} {w.rnd.choice(WORDS)}",
                "summary": w.sentence(6, 14),
                "severity": f"SEV{w.rnd.randint(1, 4)}",
                "symptoms": [w.sentence(3, 8) for _ in range(w.rnd.randint(2, 3))],
                "causes": [w.sentence(3, 8) for _ in range(2)],
                "diagnosis": [{"commands": [w.command(variables) for _ in range(2)]}],
                "resolution": [
                    {"when": w.words(3, 7), "commands": [w.command(variables, destructive=k == 0)]},
                    {"when": w.words(3, 7), "items": [w.sentence(3, 8) for _ in range(2)]},
                ],
            }
        )
    return procedures


def _flow(w: _Writer, phases: list[dict[str, Any]]) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "start", "label": "Alert fires", "shape": "start"}]
    nodes.append({"id": "triage", "label": f"{w.title()}?", "shape": "decision"})
    nodes += [{"id": f"n{k}", "label": w.title(), "phase": p["id"]} for k, p in enumerate(phases)]
    nodes.append({"id": "done", "label": "Resolved", "shape": "end"})
    edges = [{"from": "start", "to": "triage"}, {"from": "triage", "to": "n0", "label": "Yes"}]
    edges.append({"from": "triage", "to": "done", "label": "No"})
    edges += [{"from": f"n{k}", "to": f"n{k + 1}"} for k in range(len(phases) - 1)]
    edges.append({"from": f"n{len(phases) - 1}", "to": "done"})
    return {"nodes": nodes, "edges": edges}


def _table(w: _Writer, phase: str) -> dict[str, Any]:
    rows = [
        {"symptom": w.sentence(3, 6), "check": w.sentence(3, 8), "action": w.sentence(3, 8)}
        for _ in range(w.rnd.randint(3, 5))
    ]
    rows[0]["see"] = "dashboard"
    return {"id": "triage-table", "title": "Triage", "phase": phase, "rows": rows}


def _templates(w: _Writer) -> list[dict[str, Any]]:
    body = "\n".join(f"{label}: [{w.words(2, 4)}]" for label in ("Status", "Impact", "Next"))
    return [
        {"id": "status-update", "title": "Status update", "kind": "status-update", "body": body},
        {
            "id": "customer-notice",
            "title": "Customer notice",
            "kind": "customer",
            "body": "\n\n".join(w.sentence(10, 20) for _ in range(3)) + "\n",
        },
    ]


def _links(w: _Writer, index: int, ids: list[tuple[str, str]]) -> list[dict[str, Any]]:
    links: list[dict[str, Any]] = [
        {
            "id": "dashboard",
            "title": "Dashboard",
            "group": "Dashboards",
            "url": f"https://grafana.example.com/d/{ids[index][1]}",
        },
        {
            "id": "design",
            "title": "Design notes",
            "document": "./design.md",
            "unpublished": True,
        },
    ]
    for k in range(min(2, len(ids) - 1)):
        target = ids[(index + 1 + w.rnd.randrange(len(ids) - 1)) % len(ids)][1]
        if target != ids[index][1] and all(x.get("runbook") != target for x in links):
            links.append(
                {"id": f"related-{k}", "title": "Related runbook", "runbook": target}
                | ({"procedure": "scenario-1"} if k == 0 else {})
            )
    return links


def dump(data: dict[str, Any]) -> str:
    """YAML text as a person would write it."""
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return HEADER + text


def generate(out: Path, n: int, *, seed: int = 7) -> list[Path]:
    """Write N runbooks (and the shared files) under *out*, replacing it; returns the runbooks."""
    if out.exists():
        shutil.rmtree(out)
    (out / "shared").mkdir(parents=True)
    (out / "shared" / "severity.yaml").write_text(dump(severity_scheme()), encoding="utf-8")
    (out / "shared" / "contacts.yaml").write_text(dump(contacts()), encoding="utf-8")
    ids = runbook_ids(n, seed)
    paths = []
    for index, (service, ident) in enumerate(ids):
        path = out / service / f"{ident}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(dump(runbook(index, ids, seed)), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python -m bench.generate OUT N")
    written = generate(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"wrote {len(written)} runbook(s) to {sys.argv[1]}")
