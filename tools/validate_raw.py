"""Validate YAML files against the schema (bootstrap helper; `runbookgen check` supersedes it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

SCHEMA = json.loads((Path(__file__).parent.parent / "schemas/runbook.schema.json").read_text())
KINDS = {"severity-scheme": "severitySchemeFile", "contacts": "contactsFile"}


def main() -> int:
    bad = 0
    for name in sys.argv[1:]:
        data = yaml.load(Path(name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        kind = data.get("kind", "runbook") if isinstance(data, dict) else "runbook"
        schema = dict(SCHEMA)
        if kind in KINDS:
            schema = {**SCHEMA, **SCHEMA["$defs"][KINDS[kind]]}
        data = yaml.safe_load(Path(name).read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))
        for err in Draft202012Validator(schema).iter_errors(data):
            bad += 1
            print(f"{name}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
