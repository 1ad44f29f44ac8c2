"""The Markdown pages: a runbook's page from its inputs only (`render_inputs`), and the
site-wide ones from the whole site (`render_site_wide`). What each page holds is the layout's
(`layout.py`); here are the inputs it is made from and the Markdown writer's call.

The output is plain Markdown (with the admonition, attr_list, tables, md_in_html and
superfences/tasklist extensions), readable by any MkDocs-compatible engine.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from generator.core.model import Contact, Runbook, SeverityScheme, Site
from generator.core.references import all_steps
from generator.core.validate import default_variable_pattern, load_schema
from generator.diagnostics import CODES
from generator.render import escape
from generator.render.incident import is_secret
from generator.render.layout import (
    RUNBOOK_DIR,
    list_breaks,
    runbook_blocks,
    service_path,
    site_wide,
    step_anchors,
)
from generator.render.services import (
    SYMPTOMS_ON_ONE_PAGE,
    Directory,
    alert_rows,
    contact_names,
    services,
    symptom_rows,
    tables,
)
from generator.render.to_markdown import MarkdownWriter, tidy

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Review:
    """Review status of a runbook on a given day."""

    overdue: bool
    label: str


def review_of(runbook: Runbook, today: dt.date) -> Review:
    """Whether the runbook is past its next review date."""
    if runbook.next_review and runbook.next_review < today.isoformat():
        return Review(True, f"overdue since {runbook.next_review}")
    if runbook.next_review:
        return Review(False, f"due {runbook.next_review}")
    return Review(False, "no date set")


def page_path(runbook_id: str) -> str:
    """Where a runbook's page lives in the docs tree; derived from its id only, so URLs stay stable."""
    return f"{RUNBOOK_DIR}/{runbook_id}.md"


def page_url(runbook_id: str) -> str:
    """The site-relative URL of a runbook's page (MkDocs' directory URL of `page_path`: an
    id is a slug, which a URL holds as it is)."""
    return f"{RUNBOOK_DIR}/{runbook_id}/"


def markdown_href(runbook_id: str, page: str) -> str:
    """How the Markdown page *page* links to a runbook's page: its relative .md path, which
    MkDocs turns into the built page's URL."""
    return posixpath.relpath(page_path(runbook_id), posixpath.dirname(page) or ".")


@cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment, with the escaping filters its templates use: the variables
    form and the flowchart (which both pages hold as they are), `diff`'s report and `new`'s
    runbook."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # output is Markdown: every value is escaped by a filter for its context
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters.update(
        inline=escape.inline,
        entities=escape.entities,
        attr=escape.attr,
        code_inline=escape.code_inline,
        mermaid_label=escape.mermaid_label,
        slug=escape.slug,
        yaml_string=escape.yaml_string,
    )
    return env


def _site_page(path: str, context: dict[str, Any]) -> str:
    """The Markdown page of the site-wide page *path* (`layout.site_wide`)."""
    front, blocks = site_wide(path)
    return tidy(f"{front}\n\n{MarkdownWriter(path, markdown_href).blocks(blocks(context))}")


@dataclass(frozen=True)
class RunbookInputs:
    """Everything a runbook's page is made from (`render_runbook` reads nothing else): equal
    inputs, the same page. *directory*: the shared contacts, by id."""

    runbook: Runbook
    scheme: SeverityScheme | None
    contacts: tuple[Contact, ...]
    directory: Mapping[str, Contact]
    review: Review
    source_path: str


def runbook_inputs(
    runbook: Runbook, site: Site, *, today: dt.date, source_path: str = ""
) -> RunbookInputs:
    return RunbookInputs(
        runbook=runbook,
        scheme=site.scheme_of(runbook),
        contacts=tuple(site.contacts_of(runbook)),
        directory=site.contacts,
        review=review_of(runbook, today),
        source_path=source_path or runbook.source.path,
    )


def render_runbook(runbook: Runbook, site: Site, *, today: dt.date, source_path: str = "") -> str:
    """The Markdown page of one runbook."""
    return render_inputs(runbook_inputs(runbook, site, today=today, source_path=source_path))


def render_inputs(inputs: RunbookInputs) -> str:
    """The Markdown page of one runbook, from its inputs only."""
    context = page_context(inputs)
    runbook = context["runbook"]
    front = front_matter(runbook.title, runbook.summary or runbook.title)
    body = MarkdownWriter(context["page"], markdown_href).blocks(runbook_blocks(context))
    return tidy(f"{front}\n\n{body}")


def front_matter(title: str, description: str) -> str:
    """A runbook page's front matter, `---` lines included: its title and description as
    HTML-escaped text, which is how Material prints them."""
    return (
        f"---\ntitle: {escape.yaml_string(str(markupsafe.escape(title)))}\n"
        f"description: {escape.yaml_string(str(markupsafe.escape(description)))}\n---"
    )


def page_context(inputs: RunbookInputs) -> dict[str, Any]:
    """What a runbook page's templates read, the Markdown page's and the HTML one's
    (generator/render_html.py) alike."""
    runbook = inputs.runbook
    owner = inputs.directory.get(runbook.owner) or next(
        (c for c in runbook.inline_contacts if c.id == runbook.owner), None
    )
    return {
        "runbook": runbook,
        "page": page_path(runbook.id),
        "scheme": inputs.scheme,
        "contacts": inputs.contacts,
        "contact_names": contact_names(inputs.directory, runbook),
        "owner_name": owner.role if owner else runbook.owner or "none named",
        "review": inputs.review,
        "source_path": inputs.source_path,
        "used_templates": {s.template for s in all_steps(runbook) if s.template},
        "step_anchors": step_anchors(runbook),
        "list_breaks": list_breaks(runbook),
        "default_pattern": default_variable_pattern(),
        "variables_form": _partial(
            "_variables.md.j2",
            runbook=runbook,
            secrets={v.name for v in runbook.variables if is_secret(v)},
        ),
        "flow_text": _partial("_flow.mmd.j2", flow=runbook.flow) if runbook.flow else "",
    }


def _partial(name: str, **context: Any) -> str:
    """A piece of a page both pages hold as it is: the variables form, the mermaid flowchart."""
    context.setdefault("default_pattern", default_variable_pattern())
    return environment().get_template(name).render(**context)


def render_index(site: Site, *, today: dt.date) -> str:
    """The home page: the catalogue grouped by service."""
    return _site_page("index.md", index_context(site, today=today))


def index_context(site: Site, *, today: dt.date) -> dict[str, Any]:
    """What the home page's templates read, the Markdown page's and the HTML one's alike (as
    for every site-wide page's `*_context`)."""
    names = contact_names(site.contacts)
    return {
        "page": "index.md",
        "services": site.services(),
        "runbooks_count": len(site.runbooks),
        "alerts": any(r.alerts or any(p.alerts for p in r.procedures) for r in site.runbooks),
        "owner_names": {r.id: names.get(r.owner, r.owner) for r in site.runbooks},
        "review_status": {r.id: review_of(r, today).label for r in site.runbooks},
        "scheme_names": {r.id: _scheme_name(site, r) for r in site.runbooks},
    }


def _scheme_name(site: Site, runbook: Runbook) -> str:
    scheme = site.scheme_of(runbook)
    return (scheme.title or scheme.id) if scheme else ""


def render_severity(site: Site) -> str:
    """All severity schemes side by side."""
    return _site_page("severity.md", severity_context(site))


def severity_context(site: Site) -> dict[str, Any]:
    schemes = {s.id: s for s in site.schemes.values()}
    schemes.update({r.inline_scheme.id: r.inline_scheme for r in site.runbooks if r.inline_scheme})
    ordered = sorted(schemes.values(), key=lambda s: s.id)
    users = {s.id: [r for r in site.runbooks if site.scheme_of(r) is s] for s in ordered}
    depth = max((len(s.levels) for s in ordered), default=0)
    return {"page": "severity.md", "schemes": ordered, "users": users, "depth": depth}


def render_escalation(site: Site) -> str:
    """Each service's contacts and escalation, and every contact once."""
    return _site_page("escalation.md", escalation_context(site))


def escalation_context(site: Site) -> dict[str, Any]:
    directory = Directory()
    listed = services(site, directory)
    return {
        "page": "escalation.md",
        "services": listed,
        "directory": [(a, c, directory.services(a)) for a, c in directory.listed()],
    }


def render_symptoms(site: Site) -> str:
    """Every symptom of every procedure, alphabetically, or by service on a large site."""
    return _site_page("symptoms.md", symptoms_context(site))


def symptoms_context(site: Site) -> dict[str, Any]:
    """The symptoms A to Z while there are few enough (`SYMPTOMS_ON_ONE_PAGE`), and each
    service's count."""
    listed = services(site, Directory())
    total = sum(s.symptoms for s in listed)
    one_page = total <= SYMPTOMS_ON_ONE_PAGE
    rows = symptom_rows(site.runbooks) if one_page else []
    return {
        "page": "symptoms.md",
        "tables": tables(rows),
        "one_page": one_page,
        "services": listed,
        "total": total,
    }


def render_alerts(site: Site) -> str:
    """Every alert a runbook answers, alphabetically, with where it leads."""
    return _site_page("alerts.md", alerts_context(site))


def alerts_context(site: Site) -> dict[str, Any]:
    """Rows of (alert, runbook, procedure or None, severity), in tables."""
    rows = alert_rows(site, site.runbooks)
    return {"page": "alerts.md", "tables": tables(rows), "from_rules": bool(site.alert_severity)}


def service_contexts(site: Site) -> dict[str, dict[str, Any]]:
    """The page of each service (`layout.service_path`): who to reach, its runbooks'
    escalation steps, symptoms and alerts."""
    directory = Directory()
    listed = services(site, directory)
    contacts = dict(directory.listed())
    found = {}
    for service in listed:
        path = service_path(service.name)
        found[path] = {
            "page": path,
            "service": service,
            "contacts": [contacts[anchor] for anchor in service.contacts],
            "symptoms": tables(symptom_rows(service.runbooks)),
            "alerts": tables(alert_rows(site, service.runbooks)),
            "from_rules": bool(site.alert_severity),
        }
    return found


def render_diagnostics() -> str:
    """The catalogue of diagnostic codes, with their fixes."""
    return _site_page("diagnostics.md", diagnostics_context())


def diagnostics_context() -> dict[str, Any]:
    return {"codes": list(CODES.values())}


def format_context() -> dict[str, Any]:
    return {"schema": load_schema()}


def render_site_wide(site: Site, *, today: dt.date) -> dict[str, str]:
    """The pages made from every runbook: home, severity, escalation, symptoms, alerts; the
    diagnostics and the runbook format; a page per service."""
    return {
        "index.md": render_index(site, today=today),
        "severity.md": render_severity(site),
        "escalation.md": render_escalation(site),
        "symptoms.md": render_symptoms(site),
        "alerts.md": render_alerts(site),
        "diagnostics.md": render_diagnostics(),
        "format.md": _site_page("format.md", format_context()),
        **{path: _site_page(path, c) for path, c in service_contexts(site).items()},
    }
