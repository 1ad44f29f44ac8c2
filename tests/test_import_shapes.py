"""What `runbookgen import` makes of the shapes it maps into structure (tests/fixtures/import/):
severity levels written as sections and their update cadences, time budgets in headings, a
symptom → command table, links between imported files, a flowchart, contact and escalation
tables and lists, a revision history. Each is checked as data, and the runbooks check clean
and keep every atom of their source on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.commands.importer.markdown import Table, parse
from generator.commands.importer.people import budget, channels, escalation_in
from generator.commands.importer.sources import import_files
from generator.commands.importer.tables import decision_table, flow, history
from tests.conftest import FIXTURES
from tests.real_atoms import atoms
from tests.test_import import kept, page_and_errors

SHAPES = FIXTURES / "import"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("shapes")
    done = import_files([SHAPES / "payments.md", SHAPES / "db.md"], out, root=SHAPES)
    notes = [str(d) for d in done.diagnostics]
    data = {t.stem: yaml.safe_load(t.read_text()) for t in done.written}
    return {"data": data, "notes": notes, "out": out}


def test_severity_sections_become_the_scheme_with_their_cadences(imported: dict[str, Any]) -> None:
    levels = imported["data"]["payments"]["severity"]["levels"]
    assert levels[0] == {
        "id": "SEV-1",
        "name": "Critical",
        "label": "Page immediately",
        "description": "Card payments fail for everyone",
        "response_time": "Immediate (< 5 minutes)",
        "escalation": "Page on-call, notify the VP Engineering",
        "examples": ["Checkout returns 500 for every request", "The card processor is unreachable"],
        "update_cadence": "Every 15 minutes",
    }
    assert levels[1]["name"] == "High" and levels[1]["update_cadence"] == "Every 30 minutes"


def test_a_heading_s_time_is_the_step_s_budget(imported: dict[str, Any]) -> None:
    steps = imported["data"]["payments"]["phases"][0]["steps"]
    assert [(s["title"], s.get("time_budget")) for s in steps] == [
        ("Triage", "< 5 minutes"),
        ("Fix", "within 1 hour"),
        ("Communicate", None),
    ]
    assert steps[0]["id"] == "1-triage-5-minutes"  # the source's anchor, kept


def test_a_symptom_table_is_a_decision_table_its_step_points_to(imported: dict[str, Any]) -> None:
    data = imported["data"]["payments"]
    (table,) = data["decision_tables"]
    assert table == {
        "id": "triage-table",
        "title": "Triage",
        "phase": "response",
        "headings": {"check": "Likely cause"},
        "rows": [
            {
                "symptom": "5xx on checkout",
                "check": "Bad deploy",
                "command": "kubectl -n payments rollout undo deploy/api",
            },
            {
                "symptom": "Slow checkout",
                "check": "Database load",
                "command": "kubectl -n payments top pods",
            },
        ],
    }
    assert data["phases"][0]["steps"][0]["text"] == (
        "See [Triage](#triage-table) at the end of this phase."
    )


def test_links_between_imported_files_are_runbook_links(imported: dict[str, Any]) -> None:
    data = imported["data"]["payments"]
    assert data["links"] == [
        {
            "id": "the-database-runbook",
            "title": "the database runbook",
            "runbook": "db",
            "procedure": "promote-the-replica",
        },
        {
            "id": "vendor-s-guide",
            "title": "vendor's guide",
            "document": "../vendor/guide.md",
            "unpublished": True,
        },
        {"id": "the-old-notes", "title": "the old notes", "runbook": "db"},
    ]
    fix = data["phases"][0]["steps"][1]
    assert fix["see"] == ["the-database-runbook", "vendor-s-guide", "the-old-notes"]
    assert "](" not in fix["text"]
    assert [n.split(" note ")[1][:5] for n in imported["notes"]] == ["RB914", "RB915"]
    assert imported["notes"][1].startswith("payments.md:30:1: note RB915 the link to db#no-such")


def test_a_simple_flowchart_is_the_flow_its_boxes_linked_to_phases(
    imported: dict[str, Any],
) -> None:
    data = imported["data"]["payments"]
    assert data["flow"]["nodes"][1] == {"id": "B", "label": "Customer impact?", "shape": "decision"}
    assert data["flow"]["nodes"][2]["phase"] == "response"
    assert data["flow"]["edges"][1] == {"from": "B", "to": "C", "label": "Yes"}
    assert [p["id"] for p in data["phases"]] == ["response"]  # the flow's section is the flow


def test_contact_tables_and_lists_are_contacts(imported: dict[str, Any]) -> None:
    contacts = imported["data"]["payments"]["contacts"]
    assert contacts == [
        {
            "id": "payments-payments-on-call",
            "role": "Payments on-call",
            "channels": [
                {"type": "pagerduty", "value": "See PagerDuty"},
                {"type": "phone", "value": "+1-555-0100"},
            ],
            "notes": "Hours: 24/7",
        },
        {
            "id": "payments-payments-lead",
            "role": "Payments lead",
            "channels": [
                {"type": "slack", "value": "Slack @pay-lead"},
                {"type": "email", "value": "pay-lead@example.com"},
            ],
            "notes": "Hours: Office hours",
        },
        {
            "id": "payments-vp-engineering",
            "role": "VP Engineering",
            "channels": [{"type": "slack", "value": "[Slack/Phone]"}],
        },
    ]


def test_an_escalation_table_is_the_escalation(imported: dict[str, Any]) -> None:
    assert imported["data"]["payments"]["escalation"] == [
        {"after": "15 min", "condition": "no progress", "action": "Add the second on-call"},
        {"after": "1 hour", "action": "Page the VP Engineering"},
    ]


def test_a_revision_table_is_the_history_oldest_first(imported: dict[str, Any]) -> None:
    assert imported["data"]["payments"]["history"] == [
        {"version": "1.0", "date": "2024-01-15", "changes": "First version (Ben)"},
        {"version": "1.1", "date": "2024-06-01", "changes": "Added the rollback (Ana)"},
    ]


@pytest.mark.parametrize("name", ["payments", "db"])
def test_the_shapes_check_clean_and_keep_every_atom(imported: dict[str, Any], name: str) -> None:
    out = imported["out"]
    others = [p for p in out.glob("*.yaml") if p.stem != name]
    page, errors = page_and_errors(out / f"{name}.yaml", *others)
    assert errors == []
    source = (SHAPES / f"{name}.md").read_text()
    lost = [a for a in atoms(source) if not kept(page, a, source, imported["notes"])]
    # A link to a runbook imported with this one is a link to its page, not to the .md file.
    assert [a for a in lost if not a.startswith("link: ./db.md")] == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Initial Response (< 5 minutes)", ("Initial Response", "< 5 minutes")),
        ("1. Acknowledge (2 min)", ("1. Acknowledge", "2 min")),
        ("Post-mortem (within 48h)", ("Post-mortem", "within 48h")),
        ("Detection (0-5 min)", ("Detection", "0-5 min")),
        ("Immediate Actions (within 1 hour)", ("Immediate Actions", "within 1 hour")),
        ("Check the pods (kubectl)", None),
        ("Version (2)", None),
        ("(5 min)", None),
    ],
)
def test_budget(title: str, expected: tuple[str, str] | None) -> None:
    assert budget(title) == expected


@pytest.mark.parametrize(
    ("cell", "hint", "kinds"),
    [
        ("dba@example.com", "Contact", ["email"]),
        ("#incidents", "", ["slack"]),
        ("@eng-lead", "", ["slack"]),
        ("+44 20 7946 0000", "", ["phone"]),
        ("XXX-XXX-XXXX", "", ["phone"]),
        ("Auto-dial", "Phone", ["phone"]),
        ("See PagerDuty app", "Phone", ["phone"]),  # the column says what it is
        ("PagerDuty rotation", "On-Call", ["pagerduty"]),
        ("DBA rotation", "Escalation Path", ["other"]),
        ("Slack @a, a@example.com; +1 555 0100 0000", "Contact", ["slack", "email", "phone"]),
        ("https://example.com/oncall", "", ["url"]),
    ],
)
def test_channels(cell: str, hint: str, kinds: list[str]) -> None:
    found = channels(cell, hint)
    assert [c["type"] for c in found] == kinds
    assert ", ".join(c["value"] for c in found).replace(";", ",") == cell.replace(";", ",")


def table(markdown: str) -> Table:
    (block,) = parse(markdown).blocks
    assert isinstance(block, Table)
    return block


@pytest.mark.parametrize(
    "markdown",
    [
        "| Name | Value |\n|---|---|\n| a | b |\n",  # no symptom, no action
        "| Symptom | Notes | More notes |\n|---|---|---|\n| a | b | c |\n",  # nothing to do
        "| Symptom | Action | Fix |\n|---|---|---|\n| a | b | c |\n",  # two action columns
        "| Symptom | Action |\n|---|---|\n|  | b |\n",  # a row with no symptom
    ],
)
def test_tables_that_are_no_decision_tables(markdown: str) -> None:
    assert decision_table(table(markdown), str, "t") is None


def test_a_command_column_of_commands_and_words() -> None:
    source = "| Check | Command |\n|---|---|\n| Health | `kubectl get pods` |\n| Errors | See Grafana |\n"
    assert decision_table(table(source), str, "t") == {
        "id": "t",
        "rows": [
            {"symptom": "Health", "command": "kubectl get pods"},
            {"symptom": "Errors", "action": "See Grafana"},
        ],
        "headings": {"symptom": "Check"},
    }


@pytest.mark.parametrize(
    "markdown",
    [
        "| Version | Date | Changes |\n|---|---|---|\n| 1 | March 2024 | x |\n",  # no ISO date
        "| Version | Date | Changes | Size |\n|---|---|---|---|\n| 1 | 2024-01-01 | x | 3 |\n",
        "| Version | Changes |\n|---|---|\n| 1 | x |\n",
    ],
)
def test_tables_that_are_no_history(markdown: str) -> None:
    assert history(table(markdown), str) is None


@pytest.mark.parametrize(
    "body",
    [
        "sequenceDiagram\n  A->>B: hi",
        "flowchart TD\n  A --> B --> C",  # a chain
        "flowchart TD\n  subgraph X\n  A --> B\n  end",
        "flowchart TD\n  A --> B\n  style A fill:#f00",
        "flowchart TD\n  A[One] --> B\n  A[Two] --> C",  # one box, two labels
        "flowchart BT\n  A --> B",
    ],
)
def test_diagrams_that_stay_diagrams(body: str) -> None:
    assert flow(body, "Flow") is None


def test_a_box_named_first_and_labelled_later_has_its_label() -> None:
    found = flow("graph LR\n  A --> B\n  B[Restart] --> C([Done])", "F")
    assert found is not None
    assert found["direction"] == "LR"
    assert found["nodes"] == [
        {"id": "A", "label": "A"},
        {"id": "B", "label": "Restart"},
        {"id": "C", "label": "Done", "shape": "start"},
    ]


def test_a_contact_section_that_is_not_only_contacts_stays_a_phase(tmp_path: Path) -> None:
    source = tmp_path / "c.md"
    source.write_text("# C\n\n## Contacts\n\nAsk in the channel first.\n\n```bash\nwho\n```\n")
    done = import_files([source], tmp_path / "out", root=tmp_path)
    (target,) = done.written
    data = yaml.safe_load(target.read_text())
    assert "contacts" not in data
    assert data["phases"][0]["title"] == "Contacts"


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("kubectl describe pod [POD_NAME]", "kubectl describe pod <POD_NAME>"),
        ("ls [pod-name] /tmp", "ls <pod-name> /tmp"),
        ("psql -h [DB_HOST]:5432", "psql -h <DB_HOST>:5432"),
        ("curl https://x/[ENV]/api", "curl https://x/<ENV>/api"),
        ("if [ -f x ]; then echo; fi", None),  # a shell test
        ('grep "[ERROR]" log', None),  # quoted: a pattern
        ("grep '[WARN]' log", None),
        ("echo [a-z] [A-Z_] ${A[0]} arr[IDX]", None),  # classes, arrays
        ("[[ -n $X ]]", None),
        ("kubectl get pods -n [namespace]", None),  # one lower-case word: could be anything
    ],
)
def test_bracket_placeholders_in_shell_commands(
    tmp_path: Path, run: str, expected: str | None
) -> None:
    source = tmp_path / "b.md"
    source.write_text(f"# B\n\n## Fix\n\n```bash\n{run}\n```\n")
    done = import_files([source], tmp_path / "out", root=tmp_path)
    (target,) = done.written
    data = yaml.safe_load(target.read_text())
    assert data["phases"][0]["steps"][0]["commands"][0]["run"] == (expected or run)
    assert any(" RB917 " in str(d) for d in done.diagnostics) is (expected is not None)
    if expected:
        assert data["variables"][0]["name"] in expected


def test_comments_stand_where_a_person_must_decide(tmp_path: Path) -> None:
    source = tmp_path / "d.md"
    source.write_text("# D\n\nWhat to do.\n\n## Fix\n\n```bash\nkubectl delete pod <pod>\n```\n")
    done = import_files([source], tmp_path / "out", root=tmp_path)
    (target,) = done.written
    lines = target.read_text().split("\n")
    assert lines[3:8] == [
        "id: d",
        "title: D",
        "summary: What to do.",
        "# The source does not say, so the import could not: add `owner:` the id of the contact"
        " (team) that",
        "# keeps this runbook; and `last_reviewed:` the date a person last checked it (YYYY-MM-DD).",
    ]
    at = lines.index("          - run: kubectl delete pod <pod>")
    assert lines[at - 2 : at] == [
        "          # Marked destructive by the import ('delete'): say why and what to check first,"
        " or take",
        "          # `destructive` out if it destroys nothing.",
    ]
    assert lines[lines.index("variables:") + 1].startswith("  # The placeholders of the commands")


def test_a_comment_s_stand_in_cannot_be_forged_by_the_source() -> None:
    from generator.commands.importer.yaml_out import COMMENT, dump

    forged = "x\n  runbookgen_comment_0: 0\n- runbookgen_comment_0: 0\ny"
    data = {"id": "x", COMMENT: "a note", "steps": [{COMMENT: "b", "run": forged}]}
    written = dump(data, header=[])
    assert yaml.safe_load(written) == {"id": "x", "steps": [{"run": forged}]}
    assert written.count("# ") == 2


def test_alert_sections_and_alert_tables_are_procedures_for_their_alerts(tmp_path: Path) -> None:
    done = import_files([SHAPES / "alerts.md"], tmp_path, root=SHAPES)
    (target,) = done.written
    data = yaml.safe_load(target.read_text())
    procedures = {p["id"]: p for p in data["procedures"]}
    assert list(procedures) == [
        "storageingesterrestarts",
        "storageapidown",
        "storageapiinstanceunreachable",  # "reach" in a name is no contacts heading
        "storagecompacthalted",
        "storagecompactslow",
    ]
    assert procedures["storageingesterrestarts"]["alerts"] == ["StorageIngesterRestarts"]
    assert procedures["storageingesterrestarts"]["diagnosis"][0]["commands"] == [
        {"run": "kubectl -n storage get pods -l app=ingester"}
    ]
    assert procedures["storageapidown"] == {
        "id": "storageapidown",
        "title": "StorageAPIDown",
        "summary": "`Storage API has disappeared from target discovery.`",
        "severity": "critical",
        "alerts": ["StorageAPIDown"],
        "notes": "Runbook: [Link](https://runbooks.example.com/storage/storageapidown/)",
    }
    assert procedures["storagecompacthalted"]["summary"] == "Compaction has stopped."
    assert procedures["storagecompacthalted"]["severity"] == "warning"
    # No scheme in the source: the alerts' severities are one, most severe first.
    assert [lv["id"] for lv in data["severity"]["levels"]] == ["critical", "warning", "info"]
    assert "contacts" not in data
    page, errors = page_and_errors(target)
    assert errors == []
    source = (SHAPES / "alerts.md").read_text()
    assert [a for a in atoms(source) if not kept(page, a, source, [])] == []


def test_an_item_that_ends_in_a_command_is_a_step_with_that_command(tmp_path: Path) -> None:
    source = tmp_path / "i.md"
    source.write_text(
        "# I\n\n## Fix\n\n"
        "- Scale replicas: `kubectl scale deployment api -n web --replicas=5`\n"
        "- Check upstream health: review the mesh metrics\n"
        "- Read `the docs` first\n\n"
        "Then look: `kubectl get pods -n web`\n\n"
        "| Issue | Action |\n|---|---|\n| Slow | Scale up: `kubectl scale deploy/x --replicas=3` |\n"
    )
    done = import_files([source], tmp_path / "out", root=tmp_path)
    (target,) = done.written
    data = yaml.safe_load(target.read_text())
    steps = data["phases"][0]["steps"]
    assert steps[:3] == [
        {
            "text": "Scale replicas:",
            "commands": [{"run": "kubectl scale deployment api -n web --replicas=5"}],
        },
        {"items": ["Check upstream health: review the mesh metrics", "Read `the docs` first"]},
        {"text": "Then look:", "commands": [{"run": "kubectl get pods -n web"}]},
    ]
    (table,) = data["decision_tables"]
    assert table["rows"] == [
        {"symptom": "Slow", "action": "Scale up:", "command": "kubectl scale deploy/x --replicas=3"}
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "If the issue is not resolved within 30 minutes, escalate to the platform lead.",
            [
                (
                    "30 minutes",
                    "If the issue is not resolved within 30 minutes, escalate to the platform lead",
                )
            ],
        ),
        (
            "Check the pods. Page the database on-call if it is not fixed in 15 min. Then wait.",
            [("15 min", "Page the database on-call if it is not fixed in 15 min")],
        ),
        ("The page loads in 5 minutes.", []),  # a page, not paging
        ("When the page takes 5 minutes, call the API.", []),
        ("Post an update every 30 minutes.", []),
    ],
)
def test_escalation_said_in_words(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(s["after"], s["action"]) for s in escalation_in(text)] == expected


def test_escalation_in_words_is_the_runbook_s_when_nothing_else_says(tmp_path: Path) -> None:
    source = tmp_path / "e.md"
    source.write_text("# E\n\n## Fix\n\nRestart it. Escalate to the lead after 30 min.\n")
    done = import_files([source], tmp_path / "out", root=tmp_path)
    (target,) = done.written
    data = yaml.safe_load(target.read_text())
    assert data["escalation"] == [
        {"after": "30 min", "action": "Escalate to the lead after 30 min"}
    ]
    assert data["phases"][0]["steps"][0]["text"] == "Restart it. Escalate to the lead after 30 min."


def test_a_hugo_ref_is_a_link_to_the_file_it_names(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        '# A\n\n## Fix\n\nSee [the failover]({{< relref "b.md#promote" >}}) and'
        ' [the guide]({{% ref "/guide.md" %}}).\n'
    )
    (tmp_path / "b.md").write_text("# B\n\n## Promote\n\nPromote it.\n")
    done = import_files([tmp_path / "a.md", tmp_path / "b.md"], tmp_path / "out", root=tmp_path)
    data = yaml.safe_load((tmp_path / "out" / "a.yaml").read_text())
    assert data["links"] == [
        {"id": "the-failover", "title": "the failover", "runbook": "b", "procedure": "promote"},
        {"id": "the-guide", "title": "the guide", "document": "/guide.md", "unpublished": True},
    ]
    assert data["phases"][0]["steps"][0]["text"] == "See the failover and the guide."
    assert all(" error " not in str(d) for d in done.diagnostics)
