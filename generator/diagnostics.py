"""Diagnostics: the one type every stage yields, and the catalogue of codes.

Every code is defined here, once, with its meaning and its fix; the docs page
"Diagnostics" is generated from :data:`CODES`.
"""

from __future__ import annotations

import copyreg
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # what `import` could not map: kept as text, for a person to look at


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. Positions are 1-based; 0 means "the whole file"."""

    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}:{self.col}: {self.severity.value} {self.code} {self.message}"
        )


@dataclass(frozen=True)
class Code:
    """A diagnostic code: what it means and how to fix it."""

    code: str
    title: str
    fix: str
    severity: Severity = Severity.ERROR


def _codes(*codes: Code) -> dict[str, Code]:
    return {c.code: c for c in codes}


W = Severity.WARNING
N = Severity.NOTE
CODES: dict[str, Code] = _codes(
    # Reading the file (before YAML).
    Code(
        "RB001",
        "File cannot be read or is too large",
        "Check the path; split files over the size limit (`--max-bytes`).",
    ),
    Code(
        "RB002",
        "Not valid UTF-8",
        "Re-save the file as UTF-8; the message gives the byte offset of the first bad byte.",
    ),
    Code("RB003", "NUL byte in the file", "Remove the NUL (\\0) character; runbooks are text."),
    Code(
        "RB004",
        "Line too long",
        "Break the line; a block scalar (`|`) keeps long commands readable.",
    ),
    # YAML.
    Code(
        "RB010",
        "YAML syntax error",
        "Fix the syntax at the position given; check indentation and quotes.",
    ),
    Code(
        "RB011",
        "Tab used for indentation",
        "YAML indents with spaces only: replace the tab with spaces.",
    ),
    Code(
        "RB012",
        "Duplicate key",
        "Remove or rename one of the two keys; YAML would silently keep only the last.",
    ),
    Code(
        "RB013",
        "Anchor or alias",
        "Write the value out in full; anchors and aliases (`&x`, `*x`) are not allowed.",
    ),
    Code(
        "RB014",
        "Explicit tag",
        "Remove the tag (`!!python/...`, `!ENV`, `!include`, `!!binary`); write a plain value.",
    ),
    Code(
        "RB018",
        "Text cut short by a comment",
        'Quote the text (`text: "post in #incident-management"`): in plain YAML text a `#` after'
        " a space starts a comment, and the rest of the line is dropped. For a comment, put a"
        " space after the `#`.",
    ),
    Code(
        "RB015",
        "Document is not a mapping",
        "A runbook file holds one mapping: `id: ...`, `title: ...` at the top level.",
    ),
    Code(
        "RB016",
        "Several documents in one file",
        "Put each runbook in its own file; remove the `---` separators.",
    ),
    Code(
        "RB017",
        "Nesting too deep",
        "Flatten the structure: move deep parts into steps of their own; no runbook needs more than 40 levels.",
    ),
    # Schema.
    Code("RB100", "Required property missing", "Add the property named in the message."),
    Code(
        "RB101",
        "Unknown property",
        "Check the spelling against the schema; the message suggests the closest name.",
    ),
    Code(
        "RB102",
        "Wrong type",
        "Give a value of the type named; quote values YAML reads as numbers, booleans or dates.",
    ),
    Code(
        "RB103",
        "Invalid value",
        "Use a value the schema allows: the message names the pattern or choices; a text must"
        " hold more than whitespace.",
    ),
    Code(
        "RB104", "Value out of bounds", "Shorten or lengthen the value or list as the message says."
    ),
    Code(
        "RB105",
        "Unknown file kind",
        "Use `kind: runbook` (or omit it), `kind: severity-scheme` or `kind: contacts`.",
    ),
    # Cross-references.
    Code(
        "RB200",
        "Duplicate id",
        "Runbook ids are unique among runbooks, scheme ids among schemes, contact ids among contacts (inline ones included): rename one.",
    ),
    Code(
        "RB201",
        "Unknown severity scheme",
        "Define the scheme in a `kind: severity-scheme` file or fix the id.",
    ),
    Code(
        "RB202",
        "Unknown contact",
        "Define the contact in a `kind: contacts` file or inline, or fix the id.",
    ),
    Code(
        "RB203",
        "Unknown runbook",
        "Fix the runbook id, or use `document:` with `unpublished: true` for a document not on this site.",
    ),
    Code(
        "RB204",
        "Unknown procedure or phase",
        "Use the id of a procedure or phase of the target runbook.",
    ),
    Code(
        "RB205",
        "Unknown reference in this runbook",
        "Refer to a template, link, phase or flow node id defined in this runbook.",
    ),
    Code(
        "RB206",
        "Duplicate id in this runbook",
        "Phases, procedures, decision tables, templates, links and flow nodes need distinct ids.",
    ),
    Code(
        "RB207",
        "Ids collide",
        "Two ids differ only by case or Unicode form and would share a URL: rename one.",
    ),
    Code(
        "RB208",
        "Document not found",
        "Fix the path, or mark the link `unpublished: true` if the document is not on this site yet.",
    ),
    Code("RB209", "Unknown severity level", "Use a level id of the runbook's severity scheme."),
    Code(
        "RB210",
        "Invalid link",
        "Links accept http(s), mailto and tel URLs and relative paths; fix the address.",
    ),
    Code(
        "RB211",
        "Variable accepts no such value",
        "Fix the variable's `pattern` (a JavaScript regular expression the whole value must"
        " match), or its `example` or `values` so that each is a value the pattern accepts:"
        " the page would refuse it. Without a `pattern`, the default allows no spaces or shell"
        " metacharacters: declare a wider one if the value needs them.",
    ),
    Code(
        "RB212",
        "Command starts with a prompt",
        "Remove the `$ ` from the start of `run:` (the copy button would copy it), or set"
        " `language: console` for a session of prompts and output: prompts are then left out of"
        " the copy.",
    ),
    Code(
        "RB213",
        "Table row longer than its columns",
        "Give the table another column under `columns:`, or join the row's extra cells into one"
        " (a cell that holds a comma must be quoted): a cell beyond the last column would not"
        " be shown.",
    ),
    Code(
        "RB214",
        "Procedure without symptoms or alerts",
        "Add `symptoms:` (what people see) or `alerts:` (the alerts it answers), or both: they"
        " are how someone in an incident finds the procedure.",
    ),
    Code(
        "RB215",
        "Image not found",
        "Fix the image's `src` (relative to the runbook's file), or add the file there: the"
        " site ships a copy of it.",
    ),
    Code(
        "RB216",
        "Step id without a heading",
        "Give the step a `title` (or a `when`): its id is the anchor of its heading.",
    ),
    # Checks for CI.
    Code(
        "RB300",
        "Review overdue",
        "Review the runbook, then move `next_review` forward and update `last_reviewed`.",
        W,
    ),
    Code("RB301", "Last review too old", "Review the runbook and update `last_reviewed`.", W),
    Code(
        "RB305",
        "Left to decide after an import",
        "Write what the value says is missing (why a command is destructive, what a"
        " placeholder is, what a diagram shows), replacing the `TODO (runbookgen import):` mark.",
        W,
    ),
    Code(
        "RB302",
        "Review date in the future",
        "`last_reviewed` must not be after today: fix the date.",
    ),
    Code(
        "RB303",
        "No owner",
        "Add `owner:` with the id of the contact (team) that answers for this runbook.",
        W,
    ),
    Code(
        "RB304",
        "Never reviewed",
        "Review the runbook, then add `last_reviewed: YYYY-MM-DD` (and `next_review:`).",
        W,
    ),
    Code(
        "RB306",
        "Two runbooks with one title",
        "Give each runbook a title of its own, naming the service or system it is for"
        " (`Incident Response Runbook (payments)`): search results, the symptom index and the"
        " navigation show titles, and two alike cannot be told apart there.",
        W,
    ),
    Code(
        "RB310",
        "Possible secret",
        "Remove the credential and rotate it; for a documented fake, add it to the allow-list (`.runbookgen-allow`).",
    ),
    Code(
        "RB311",
        "Invalid allow-list entry",
        "Fix the regular expression after `regex:` in `.runbookgen-allow` (Python syntax), or write the fake as a literal line.",
    ),
    Code(
        "RB320",
        "Undeclared placeholder",
        "Declare the placeholder under `variables:` with a description and example.",
        W,
    ),
    Code(
        "RB321",
        "Typographic character in a command",
        "Retype it in plain ASCII (' \" - or a space), or delete an invisible one: the command is"
        " copied as written.",
        W,
    ),
    Code(
        "RB322",
        "Variable may hold shell metacharacters",
        "Narrow the variable's `pattern` to the characters its values need. A value of a shell"
        " command is single-quoted by the page where it would change the command, and one of"
        " other code is refused if it holds a quote, backtick or backslash; anything else in it"
        " (a space, `;`, `*`) reaches the command as it is.",
        W,
    ),
    Code(
        "RB330",
        "Broken link in the built site",
        "Fix the link in the page's source so it names a file of the site (relative to the page), then build again.",
    ),
    Code(
        "RB331",
        "Broken anchor in the built site",
        "Link to an id the target page has (a heading's or procedure's anchor), or give the target that id.",
    ),
    # `runbookgen alerts check` and `annotate`: alerting rules against the runbooks.
    Code(
        "RB401",
        "Rule file cannot be read",
        "Give a Prometheus rule file or a PrometheusRule object in YAML (UTF-8, under 8 MB);"
        " the message says what stopped the reading and where.",
    ),
    Code(
        "RB402",
        "Rule file of the wrong shape",
        "Write `groups:` (or a PrometheusRule's `spec.groups:`) as a list of groups, each with"
        " `name:` and `rules:`, and each rule a mapping with `alert:` or `record:`.",
    ),
    Code(
        "RB403",
        "Critical alert without runbook_url",
        "Add `runbook_url:` under the rule's `annotations:`; declare the alert in the runbook"
        " that answers it (`alerts:`) and `runbookgen alerts annotate` writes it. Its severity"
        " is set by `--missing-critical`.",
    ),
    Code(
        "RB404",
        "Alert without runbook_url",
        "Add `runbook_url:` under the rule's `annotations:` (or declare the alert in a runbook"
        " and run `runbookgen alerts annotate`). Its severity is set by `--missing`.",
        W,
    ),
    Code(
        "RB405",
        "runbook_url names no runbook page",
        "Point the URL at a page of the site (`runbookgen urls` lists them), or declare the"
        " alert in its runbook and let `runbookgen alerts annotate` write the URL.",
    ),
    Code(
        "RB406",
        "runbook_url anchor not on the page",
        "Use the anchor of one of the page's procedures (`#procedure-id`), of a phase or of a"
        " step with an id, or link to the page without a `#`.",
    ),
    Code(
        "RB407",
        "runbook_url is not the runbook that answers the alert",
        "Link the rule to the runbook (and procedure) that declares the alert:"
        " `runbookgen alerts annotate` rewrites the URL; or move the declaration.",
        W,
    ),
    Code(
        "RB408",
        "Declared alert that no rule defines",
        "Spell the alert's name as the rule's `alert:` does (and its labels as the rule sets"
        " them), or pass the rule file that defines it; remove a declaration for a rule deleted.",
        W,
    ),
    Code(
        "RB409",
        "Alert declared twice",
        "Keep the declaration in the one runbook (or procedure) an alert should open, or tell"
        " them apart by labels: `{name: X, labels: {severity: critical}}`.",
    ),
    Code(
        "RB410",
        "runbook_url on another site",
        "Nothing to fix if the other page is meant (it is not checked); to link the alert to"
        " a runbook here, declare the alert in it (`alerts:`) and run `runbookgen alerts"
        " annotate`.",
        N,
    ),
    Code(
        "RB411",
        "runbook_url cannot be written in place",
        "Write the `runbook_url` annotation by hand: the message says which alert and URL; the"
        " file was left as it was.",
    ),
    # What `runbookgen import` kept as text, or marked for a person (notes).
    Code("RB901", "Code language unknown", "Set the command's `language`, or leave `text`.", N),
    Code("RB902", "HTML kept as text", "Rewrite the HTML as Markdown in a text, or as YAML.", N),
    Code(
        "RB903",
        "Block moved out of a callout",
        "Check that the step after the callout reads right.",
        N,
    ),
    Code("RB904", "Block kept in a checklist item", "Split the item, or move the block.", N),
    Code("RB905", "Heading kept as text", "Check the title and the summary.", N),
    Code("RB906", "Front matter unreadable", "Copy owner, review date and tags by hand.", N),
    Code("RB907", "Table cells joined", "Add a column, or split the cell again.", N),
    Code(
        "RB908",
        "Destructive command marked",
        "Write why the command is destructive (and a rollback) where the file says TODO.",
        N,
    ),
    Code("RB909", "Read as Latin-1", "Save the source as UTF-8, or check its accented letters.", N),
    Code("RB910", "Mojibake repaired", "Check the repaired letters; save the source as UTF-8.", N),
    Code("RB913", "Link to nowhere kept as text", "Link the text to a part of the runbook.", N),
    Code(
        "RB914",
        "Link to a document that is not imported",
        "The link is listed under `links:` as an unpublished `document`: once that document is a"
        " runbook on the site, make it `runbook: ID` (import both files together to have it done).",
        N,
    ),
    Code(
        "RB916",
        "Link definition used by no text",
        "It is listed under `links:`: keep it there (point to it with `see:`), or remove it.",
        N,
    ),
    Code(
        "RB917",
        "Bracketed placeholder made fillable",
        "`[NAME]` in a command is written `<NAME>` so the page can fill it in: check that it was"
        " a placeholder.",
        N,
    ),
    Code(
        "RB915",
        "Link to a part the other runbook does not have",
        "The link goes to the whole runbook: add `procedure:` with the id of the part it means.",
        N,
    ),
    Code(
        "RB911",
        "Output exists",
        "Import into another folder (`--out`), or replace the file with `--force`.",
    ),
)


def make(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    """Build a diagnostic with the code's default severity."""
    return Diagnostic(path, line, col, code, CODES[code].severity, message)


def has_errors(diagnostics: Sequence[Diagnostic], *, strict: bool = False) -> bool:
    """True if any diagnostic fails a run (warnings too, when strict)."""
    return any(
        d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING)
        for d in diagnostics
    )


def pickle_by_dict(*classes: type) -> None:
    """Pickle the instances of *classes* (dataclasses without slots) through `copyreg`, into
    the very bytes `object.__reduce_ex__` makes of them, a third faster: it looks up copyreg
    and the object's state again for each one, and a runbook pickles hundreds."""
    for cls in classes:
        copyreg.pickle(cls, _by_dict)


def _by_dict(obj: Any) -> tuple[Any, tuple[type], dict[str, Any] | None]:
    return copyreg.__newobj__, (type(obj),), obj.__dict__ or None  # type: ignore[attr-defined]


pickle_by_dict(Diagnostic)
