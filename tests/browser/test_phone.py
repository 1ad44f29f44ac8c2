"""Every kind of page on a phone (390×844) and at a desk (1440×900): measured, and shot to look at.

On a phone nothing may be wider than the screen unless it sits in a box that scrolls sideways
and shows it (a shadow at the edge that hides more: runbooks.css), every target a finger taps is
at least 44×44 CSS px (WCAG 2.5.5; a link inside a sentence is exempt, as WCAG exempts it), and
no text is cut (a cell's or a field's text fits it). The screenshots go to tests/artifacts/
(git-ignored): phone-KIND.png and desktop-KIND.png, the first screen, and -full for the page.
Keyboard: search, copy, tick and fill are reached with Tab, show a ring when focused, and act.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from generator.render.layout import SITE_WIDE
from tests.browser.conftest import PAGE_KINDS, SIZES, Served

pytestmark = pytest.mark.browser

# Tables off screen are not laid out (content-visibility: auto), so their width would read as
# none: every one is laid out for the measure.
LAY_OUT_ALL = ".md-typeset table, .md-typeset .rb-chunk { content-visibility: visible }"

# What sticks out of the screen, outside a box that scrolls sideways with its cue; and the
# boxes that scroll sideways without one. Material's drawer and search sit off screen by design;
# a table's headings, shown as the cards' labels on a phone, are kept for screen readers only.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const shown = (el) => el.getClientRects().length > 0
    && !el.closest('.md-sidebar, .md-search, [hidden]')
    && getComputedStyle(el).visibility !== 'hidden';
  const scrolls = (el) => /(auto|scroll)/.test(getComputedStyle(el).overflowX)
    && el.scrollWidth > el.clientWidth + 1;
  const cued = (el) => getComputedStyle(el).backgroundAttachment.includes('local');
  const name = (el) => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + el.textContent.trim().slice(0, 40) + '"';
  const out = [];
  document.querySelectorAll('body *').forEach((el) => {
    if (!shown(el)) return;
    if (scrolls(el) && !cued(el)) out.push('scrolls with no cue: ' + name(el));
    const box = el.getBoundingClientRect();
    if (box.right <= width + 1 && box.left >= -1) return;
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (scrolls(up) && up.getBoundingClientRect().right <= width + 1) return;
      if (getComputedStyle(up).clipPath !== 'none') return;  // hidden on purpose (a card's headings)
    }
    out.push('wider than the screen (' + Math.round(box.left) + '..' + Math.round(box.right) + '): ' + name(el));
  });
  return out;
}"""

# Targets smaller than 44×44. A checkbox Material hides inside its label is tapped through the
# label; a link in a sentence (inline, its block holding more words than it) is exempt.
TARGETS = """() => {
  const out = [];
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (getComputedStyle(block).display === 'inline') block = block.parentElement;
    return block.textContent.trim().length > el.textContent.trim().length;
  };
  document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, label[for], [role=button], .rb-ph'
  ).forEach((el) => {
    const target = el.matches('.task-list-control input') ? el.closest('label') : el;
    const style = getComputedStyle(target);
    if (!target.getClientRects().length || style.visibility === 'hidden' || style.opacity === '0'
        || target.closest('.md-sidebar, .md-search, [hidden]') || inSentence(target)) return;
    const box = target.getBoundingClientRect();
    if (box.width < 44 || box.height < 44) {
      out.push(Math.round(box.width) + 'x' + Math.round(box.height) + ' ' + target.outerHTML.slice(0, 90));
    }
  });
  return out;
}"""

# Text cut: a cell's content wider than the cell, a field's placeholder or value wider than
# the field's inside.
CLIPPED = """() => {
  const out = [];
  const ctx = document.createElement('canvas').getContext('2d');
  document.querySelectorAll('.md-typeset td, .md-typeset th').forEach((cell) => {
    if (cell.getClientRects().length && cell.scrollWidth > cell.clientWidth + 1) {
      out.push('cell: ' + cell.textContent.trim().slice(0, 50));
    }
  });
  document.querySelectorAll('.md-typeset input:not([type=checkbox])').forEach((input) => {
    if (!input.getClientRects().length) return;
    const style = getComputedStyle(input);
    ctx.font = [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily].join(' ');
    const inside = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const text = input.value || input.placeholder;
    if (ctx.measureText(text).width > inside + 1) out.push('field: ' + text);
  });
  return out;
}"""


ADD_STYLE = """(css) => {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
}"""


def open_kind(context: BrowserContext, served: Served, kind: str) -> Page:
    """The page of *kind*, its scripts run and every table laid out."""
    page = context.new_page()
    page.goto(served.url + PAGE_KINDS[kind], wait_until="networkidle")
    # Not add_style_tag: it waits on a script, which hangs a page with scripts off.
    page.evaluate(ADD_STYLE, LAY_OUT_ALL)  # the measures lay the page out again first
    return page


def at_size(browser: Browser, size: str) -> BrowserContext:
    width, height = SIZES[size]
    return browser.new_context(viewport={"width": width, "height": height})


def shoot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=artifacts / f"{name}.png")
    page.screenshot(path=artifacts / f"{name}-full.png", full_page=True)


def test_every_page_kind_is_measured() -> None:
    """A new site-wide page of the layout is a new kind here too."""
    assert set(PAGE_KINDS) == set(SITE_WIDE) | {"runbook", "docs", "service"}


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_phone(kind: str, browser: Browser, project_web: Served, artifacts: Path) -> None:
    context = at_size(browser, "phone")
    try:
        page = open_kind(context, project_web, kind)
        if kind == "runbook":  # the folded variables form is measured open
            page.evaluate("document.querySelector('details.rb-vars').open = true")
        shoot(page, artifacts, f"phone-{kind.removesuffix('.md')}")
        problems = page.evaluate(OVERFLOW) + page.evaluate(TARGETS) + page.evaluate(CLIPPED)
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_desktop(kind: str, browser: Browser, project_web: Served, artifacts: Path) -> None:
    context = at_size(browser, "desktop")
    try:
        page = open_kind(context, project_web, kind)
        shoot(page, artifacts, f"desktop-{kind.removesuffix('.md')}")
        problems = page.evaluate(OVERFLOW) + page.evaluate(CLIPPED)
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("kind", ["runbook", "severity.md", "escalation.md"])
def test_phone_without_scripts(
    kind: str, browser: Browser, project_web: Served, artifacts: Path
) -> None:
    """With scripts off a table is no card (no labels for its cells): it scrolls, with its cue."""
    width, height = SIZES["phone"]
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=False
    )
    try:
        page = open_kind(context, project_web, kind)
        page.screenshot(path=artifacts / f"phone-noscript-{kind.removesuffix('.md')}.png")
        assert page.locator("table[data-rb-cards]").count() == 0
        problems = page.evaluate(OVERFLOW)
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_commands_scroll_with_a_cue_or_fit(browser: Browser, project_web: Served) -> None:
    """The runbook page's commands on a phone: each fits, or its box shows it scrolls."""
    context = at_size(browser, "phone")
    try:
        page = open_kind(context, project_web, "runbook")
        counts = page.evaluate(
            """() => {
              const codes = Array.from(document.querySelectorAll('.md-typeset pre > code'));
              const wide = codes.filter(c => c.scrollWidth > c.clientWidth + 1);
              const cued = wide.filter(
                c => getComputedStyle(c).backgroundAttachment.includes('local'));
              return [codes.length, wide.length, cued.length];
            }"""
        )
    finally:
        context.close()
    blocks, wide, cued = counts
    assert blocks > 0 and wide > 0  # hotswap's long commands: the case is there
    assert cued == wide


# ---- Keyboard --------------------------------------------------------------------------------

FOCUS_RING = """(el) => {
  const ring = (e) => {
    const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  };
  return ring(el) || (el.closest('label') !== null && ring(el.closest('label')));
}"""


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until *selector* has the focus; fails past *limit* presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            assert page.evaluate(f"({FOCUS_RING})(document.activeElement)"), selector
            return
    pytest.fail(f"Tab never reached {selector}")


def test_keyboard_copy_and_fill(context: BrowserContext, project_web: Served) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=project_web.url[:-1])
    page = context.new_page()
    page.goto(project_web.url + PAGE_KINDS["runbook"], wait_until="networkidle")
    tab_to(page, "details.rb-vars > summary")
    page.keyboard.press("Enter")
    tab_to(page, "input[data-rb-var=failing-pod]")
    page.keyboard.type("api-7")
    block = page.evaluate(
        "Array.from(document.querySelectorAll('pre[id]'))"
        ".find(p => p.textContent.includes('kubectl describe pod')).id"
    )
    tab_to(page, f"#{block} .md-code__button")
    page.keyboard.press("Enter")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "kubectl describe pod api-7" in copied


def test_keyboard_tick(context: BrowserContext, project_web: Served) -> None:
    page = context.new_page()
    page.goto(project_web.url + PAGE_KINDS["runbook"], wait_until="networkidle")
    tab_to(page, ".rb-start")
    page.keyboard.press("Enter")
    tab_to(page, "input.rb-tick")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    tab_to(page, ".task-list-control input:not([disabled])")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")


@pytest.mark.parametrize("size", list(SIZES))
def test_keyboard_search(size: str, browser: Browser, project_web: Served) -> None:
    """At a desk the search field is in the header; on a phone its button opens it."""
    context = at_size(browser, size)
    try:
        page = context.new_page()
        page.goto(project_web.url, wait_until="networkidle")
        if size == "phone":
            tab_to(page, "label[for=__search]")
            page.keyboard.press("Enter")
            page.wait_for_function("document.getElementById('__search').checked")
        else:
            tab_to(page, "input.md-search__input")
        page.keyboard.type("rollback")
        page.wait_for_selector(".md-search-result__item")
    finally:
        context.close()


def test_a_table_that_scrolls_is_a_named_tab_stop(
    context: BrowserContext, project_web: Served
) -> None:
    """No table of the shipped site scrolls at a desk; one squeezed does, and is reachable."""
    page = open_kind(context, project_web, "severity.md")
    box = ".md-typeset__scrollwrap"
    assert page.get_attribute(box, "tabindex") is None  # it fits: no tab stop
    page.evaluate(ADD_STYLE, f"{box} {{ max-width: 12rem }}")
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    page.wait_for_function(f"document.querySelector('{box}').tabIndex === 0")
    assert page.get_attribute(box, "role") == "region"
    heads = page.eval_on_selector(
        box, "b => Array.from(b.querySelectorAll('th'), th => th.textContent.trim()).join(', ')"
    )
    assert heads.startswith("Rank, ")
    assert page.get_attribute(box, "aria-label") == "Table, scrolls sideways: " + heads
    tab_to(page, box)
