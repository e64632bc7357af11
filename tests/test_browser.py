"""The HTML report in headless Chromium: visible redline marks and the CSS-only controls.

Renders the bundled pair (real 2003/73 against the illustrative constructed
draft) and opens it from a file:// URL. Needs the Playwright Python package and
Debian's /usr/bin/chromium (no Playwright browser download); without them the
tests are skipped, unless RESDIFF_REQUIRE_BROWSER=1 turns the skip into a failure.
Also covers the change list and previous/next links in both views and under
the filters, copying, print emulation, a 390 px phone width and axe-core
(vendored at tests/vendor/axe.min.js, injected offline) with zero violations.
Screenshots are left at /tmp/resdiff-*.png for a human to look at.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from resdiff.compare import compare_texts
from resdiff.render import render_html

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parent.parent / "data"
CHROMIUM = Path("/usr/bin/chromium")
# Quiet, offline, sandbox-free: containers run as root and have no user namespaces.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOT = Path("/tmp/resdiff-report.png")
VIEWPORT = {"width": 1280, "height": 900}

DISPLAYS = "els => els.map(e => getComputedStyle(e).display)"


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright Python package is not installed (pip install playwright)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    reason = _missing()
    if reason:
        if os.environ.get("RESDIFF_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RESDIFF_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def report_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    c = compare_texts(
        (DATA / "chr-2003-73.txt").read_text(encoding="utf-8"),
        (DATA / "illustrative-draft-next-year.txt").read_text(encoding="utf-8"),
        old_source="data/chr-2003-73.txt",
        new_source="data/illustrative-draft-next-year.txt",
    )
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(c, old_name="2003/73", new_name="data/illustrative-draft-next-year.txt"),
                    encoding="utf-8")
    return path.as_uri()


def open_report(browser, url: str, *, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript, viewport=VIEWPORT)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    return context, page, requests


def test_insertions_and_deletions_are_visible(browser, report_url: str) -> None:
    context, page, requests = open_report(browser, report_url, javascript=True)
    try:
        for selector, decoration in (("main .view-redline del", "line-through"),
                                     ("main .view-redline ins", "underline")):
            mark = page.locator(selector).first
            box = mark.bounding_box()
            assert box and box["width"] > 0 and box["height"] > 0, selector
            assert decoration in mark.evaluate("e => getComputedStyle(e).textDecorationLine")
        # The side-by-side view starts hidden: its marks take no space.
        assert page.locator("main .view-columns ins").first.bounding_box() is None
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        assert requests == [report_url], "the report must load nothing besides itself"
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_changes_only_hides_unchanged_paragraphs(browser, report_url: str, javascript: bool) -> None:
    context, page, _ = open_report(browser, report_url, javascript=javascript)
    try:
        unchanged = page.locator("main .view-redline .pair.unchanged")
        changed = page.locator("main .view-redline .pair.changed")
        assert unchanged.count() > 0 and changed.count() > 0
        assert "none" not in unchanged.evaluate_all(DISPLAYS)

        page.click("label[for=changes-only]")

        assert page.is_checked("#changes-only")
        assert set(unchanged.evaluate_all(DISPLAYS)) == {"none"}
        assert "none" not in changed.evaluate_all(DISPLAYS)
        assert all(changed.nth(i).is_visible() for i in range(changed.count()))
        moved = page.locator("main .view-redline .pair.moved")
        assert moved.count() == 1 and moved.is_visible()  # OP13 -> OP4: same words, but moved
    finally:
        context.close()


def test_hide_routine_updates_leaves_substantive_changes(browser, report_url: str) -> None:
    context, page, _ = open_report(browser, report_url, javascript=False)
    try:
        routine = page.locator("main .view-redline .pair.routine")
        substantive = page.locator("main .view-redline .pair.changed:not(.routine)")
        assert routine.count() == 8 and substantive.count() > 0
        page.click("label[for=hide-routine]")
        assert set(routine.evaluate_all(DISPLAYS)) == {"none"}
        assert "none" not in substantive.evaluate_all(DISPLAYS)
        # OP15 -> OP14 ("Encourages" -> "Urges") is substantive and stays visible.
        assert page.locator("main .view-redline .pair", has_text="Urges all States").is_visible()
    finally:
        context.close()


def test_side_by_side_view_without_javascript(browser, report_url: str) -> None:
    context, page, _ = open_report(browser, report_url, javascript=False)
    try:
        assert page.locator("main .view-redline").is_visible()
        assert page.locator("main .view-columns").is_hidden()

        page.click("label[for=view-columns]")
        page.click("label[for=changes-only]")

        assert page.locator("main .view-redline").is_hidden()
        assert page.locator("main .view-columns .col-old del").first.is_visible()
        assert page.locator("main .view-columns .col-new ins").first.is_visible()
        assert set(page.locator("main .view-columns .pair.unchanged").evaluate_all(DISPLAYS)) == {"none"}
    finally:
        context.close()


@pytest.fixture(scope="module")
def history_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The history report of a constructed series (1999/69 ... 2002/82, see series_fixtures)
    plus the real 2003/73 that a new store is seeded with."""
    from typer.testing import CliRunner

    import series_fixtures as sf
    from resdiff.cli.main import app

    tmp = tmp_path_factory.mktemp("history")
    texts = sf.write(tmp / "texts", sf.series(3, last_year=2001))
    store, out = str(tmp / "store"), tmp / "history.html"
    runner = CliRunner()
    assert runner.invoke(app, ["add", *map(str, texts), "--store", store]).exit_code == 0
    result = runner.invoke(app, ["history", "2003/73", "-o", str(out), "--store", store])
    assert result.exit_code == 0, result.stderr
    return out.as_uri()


def test_history_report_chart_and_links_to_each_redline(browser, history_url: str) -> None:
    context, page, requests = open_report(browser, history_url, javascript=False)
    try:
        chart = page.locator("svg").first
        assert chart.is_visible() and chart.bounding_box()["height"] > 50
        link = page.locator("#timeline a[href$='-redline']", has_text="2003/73").first
        target = link.get_attribute("href")
        link.click()
        section = page.locator(target)
        assert section.is_visible()
        assert section.locator("del").count() > 0 and section.locator("ins").count() > 0
        assert section.locator("ins").first.is_visible()
        assert all(url.startswith("file://") for url in requests)
    finally:
        context.close()


def test_real_pair_shows_the_missing_frame_as_absent_and_items_indented(browser, tmp_path):
    """The mission's own example, 2002/82 -> 2003/73 (both real): the title and chapeau that the 2002
    source does not print are shown plain, not underlined; sub-paragraphs sit indented under their OP."""
    from resdiff.compare import compare
    from resdiff.sources import load, resolve

    old, new = resolve("2002/82", store=str(tmp_path / "store"), offline=True), resolve("2003/73", store=str(tmp_path / "store"), offline=True)
    c = compare(load(old), load(new))
    path = tmp_path / "real.html"
    path.write_text(render_html(c, old_name="2002/82", new_name="2003/73"), encoding="utf-8")
    context, page, requests = open_report(browser, path.as_uri(), javascript=False)
    try:
        absent = page.locator("#view-redline ~ main .view-redline .status-absent, .view-redline .status-absent")
        assert absent.count() == 3
        assert page.locator(".view-redline .status-absent ins, .view-redline .status-absent del").count() == 0
        assert all(t.strip() for t in absent.all_inner_texts())
        assert page.locator(".view-redline .pair.status-added").count() == 2  # PP6 and OP18, nothing else
        page.screenshot(path="/tmp/resdiff-real-pair.png", full_page=False)
    finally:
        context.close()
    assert all(u.startswith("file:") for u in requests)


def test_sub_paragraphs_are_indented_in_both_views(browser, tmp_path):
    text = ("Constructed test text, not a UN document\n\nThe General Assembly,\n\nRecalling its resolution 1/1,\n\n"
            "1. Calls upon all States:\n\n(a) To ratify the Convention;\n\n(b) To report on measures taken;\n\n2. Decides to remain seized.\n")
    c = compare_texts(text, text.replace("measures taken", "measures taken and planned"))
    path = tmp_path / "items.html"
    path.write_text(render_html(c, old_name="old", new_name="new"), encoding="utf-8")
    context, page, _ = open_report(browser, path.as_uri(), javascript=False)
    try:
        def left(selector: str) -> float:
            return page.locator(selector).first.bounding_box()["x"]

        assert left(".view-redline .level-1 .text") > left(".view-redline .pair:not(.level-1) .text") + 10
        page.locator("label[for=view-columns]").click()
        assert left(".view-columns .level-1 .col-new .text") > left(".view-columns .pair:not(.level-1) .col-new .text") + 10
    finally:
        context.close()


# ---------------------------------------------------------------- navigation, print, phone, copy, axe

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
VISIBLE_IDS = """sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null).map(e => e.id)"""
VISIBLE_HREFS = """sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null)
                          .map(e => e.getAttribute('href').slice(1))"""


def set_filters(page, *, view: str, changes_only: bool, hide_routine: bool) -> None:
    page.check(f"#view-{view}")
    for box, on in (("#changes-only", changes_only), ("#hide-routine", hide_routine)):
        page.set_checked(box, on)


@pytest.mark.parametrize("view, prefix", [("redline", ""), ("columns", "c-")])
@pytest.mark.parametrize("hide_routine", [False, True], ids=["all", "no-routine"])
def test_change_list_and_neighbour_links_match_the_visible_changes(browser, report_url: str, view: str, prefix: str,
                                                                  hide_routine: bool) -> None:
    context, page, _ = open_report(browser, report_url, javascript=False)
    try:
        set_filters(page, view=view, changes_only=True, hide_routine=hide_routine)
        page.click(".changes-box > summary")
        visible_changes = page.evaluate(VISIBLE_IDS, f".view-{view} .pair.changed")
        assert visible_changes and all(i.startswith(prefix + "p") for i in visible_changes)
        assert page.evaluate(VISIBLE_HREFS, ".change-list a") == visible_changes
        # Each visible change says where it stands and links to its visible neighbours.
        navs = [n for n in page.locator(f".view-{view} .pair-nav").all() if n.is_visible()]
        assert len(navs) == len(visible_changes)
        for k, (nav, anchor) in enumerate(zip(navs, visible_changes)):
            assert f"change {k + 1} of {len(visible_changes)}" in nav.inner_text()
            hrefs = [a.get_attribute("href")[1:] for a in nav.locator("a").all()]
            assert hrefs == [x for x in (visible_changes[k - 1] if k else None,
                                         visible_changes[k + 1] if k + 1 < len(visible_changes) else None) if x]
        # Following "next" lands on the next change, visible.
        navs[0].locator("a", has_text="next").click()
        assert page.evaluate("location.hash") == "#" + visible_changes[1]
        assert page.locator("#" + visible_changes[1]).is_visible()
    finally:
        context.close()


def test_moved_paragraph_links_to_where_it_stood_in_both_views(browser, report_url: str) -> None:
    context, page, _ = open_report(browser, report_url, javascript=False)
    try:
        for view, prefix in (("redline", ""), ("columns", "c-")):
            page.check(f"#view-{view}")
            badge = page.locator(f".view-{view} .moved-from a")
            assert badge.inner_text() == "moved from OP13"
            badge.click()
            stood = page.locator(f"#{prefix}g-p17")
            assert stood.is_visible() and "OP13" in stood.inner_text()
        # Side by side, the old place shows the old text in the old column.
        assert "good governance" in page.locator("#c-g-p17 .col-old").inner_text()
    finally:
        context.close()


def test_keyboard_reaches_the_controls_first(browser, report_url: str) -> None:
    context, page, _ = open_report(browser, report_url, javascript=False)
    try:
        order = []
        for _ in range(5):
            page.keyboard.press("Tab")
            order.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
        assert order == ["skip-link", "changes-only", "hide-routine", "copy-deleted", "view-redline"]
        page.reload()
        page.keyboard.press("Tab")
        assert page.locator(".skip-link").is_visible()  # shown when focused
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#text"
    finally:
        context.close()


def test_copying_the_redline_gives_the_new_text(browser, report_url: str) -> None:
    context, page, _ = open_report(browser, report_url, javascript=False)
    select = """sel => { const r = document.createRange(); r.selectNodeContents(document.querySelector(sel));
                         const s = getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString(); }"""
    try:
        copied = page.evaluate(select, "#p4 .text")  # PP1: 2002/82 -> 2003/73, 26 -> 25, 2002 -> 2003
        assert copied.strip() == "Recalling its resolution 2003/73 of 25 April 2003,"
        page.check("#copy-deleted")
        both = page.evaluate(select, "#p4 .text")
        assert "2002/82" in both and "2003/73" in both
    finally:
        context.close()


def test_print_has_page_numbers_running_header_and_states_the_filters(browser, report_url: str, tmp_path) -> None:
    context, page, _ = open_report(browser, report_url, javascript=False)
    try:
        page.check("#hide-routine")
        page.emulate_media(media="print")
        assert page.locator(".controls").is_hidden()
        state = page.locator(".print-state")
        assert state.is_visible() and "routine updates hidden" in state.inner_text()
        assert "every paragraph" not in state.inner_text()
        pdf = tmp_path / "print.pdf"
        page.pdf(path=str(pdf), format="A4")
    finally:
        context.close()
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        pages = text.split("\f")
        assert "Page 1 of" in pages[0] and "Redline: 2003/73 → illustrative-draft-next-year.txt" in pages[0]
        assert "Printed with: routine updates hidden" in text
        # No page holds only the warnings, and none ends on a paragraph label alone.
        assert not any(p.strip().startswith("Warnings") and len(p.split()) < 40 for p in pages)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), "/tmp/resdiff-print"],
                       check=True, timeout=60)


def test_phone_width_stacks_the_columns_with_labels(browser, report_url: str, history_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(report_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path="/tmp/resdiff-390.png")
        page.check("#view-columns")
        pair = page.locator("#c-p17")
        old, new = pair.locator(".col-old"), pair.locator(".col-new")
        assert old.bounding_box()["y"] + old.bounding_box()["height"] <= new.bounding_box()["y"] + 1
        assert old.locator(".col-name").is_visible() and old.locator(".col-name").inner_text().startswith("OLD")
        assert new.locator(".col-name").is_visible() and new.locator(".col-name").inner_text().startswith("NEW")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # The header never breaks a word in the middle.
        assert page.evaluate("getComputedStyle(document.querySelector('.subtitle')).overflowWrap") != "anywhere"
        assert page.evaluate("getComputedStyle(document.querySelector('.versions td')).overflowWrap") != "anywhere"
        page.goto(history_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path="/tmp/resdiff-history-390.png")
    finally:
        context.close()


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in result]


def test_axe_finds_no_violation_in_either_view_or_the_history(browser, report_url: str, history_url: str) -> None:
    context = browser.new_context(viewport=VIEWPORT)  # axe is a script: JavaScript on
    page = context.new_page()
    try:
        page.goto(report_url)
        page.click(".changes-box > summary")
        page.click(".about > summary")
        assert _axe(page) == []
        page.check("#view-columns")
        assert _axe(page) == []
        page.goto(history_url)
        assert _axe(page) == []
    finally:
        context.close()


def test_j_and_k_step_through_the_changes_on_screen(browser, report_url: str) -> None:
    context, page, _ = open_report(browser, report_url, javascript=True)
    try:
        page.check("#hide-routine")
        page.locator("main").focus()
        shown = page.evaluate(VISIBLE_IDS, ".view-redline .pair.changed")
        for anchor in shown[:3]:
            page.keyboard.press("j")
            assert page.evaluate("location.hash") == "#" + anchor
        page.keyboard.press("k")
        assert page.evaluate("location.hash") == "#" + shown[1]
        assert not page.locator(page.evaluate("location.hash")).evaluate("e => e.classList.contains('routine')")
    finally:
        context.close()


@pytest.fixture(scope="module")
def negotiation_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The history of the real 2002/82 and 2003/73 with the CONSTRUCTED drafts of their round
    (tests/data/negotiation, see tests/negotiation.py)."""
    from typer.testing import CliRunner

    import negotiation
    from resdiff.cli.main import app

    tmp = tmp_path_factory.mktemp("negotiation")
    store, out = str(tmp / "store"), tmp / "history.html"
    runner = CliRunner()
    for name, stage, date, _ in negotiation.STAGES:
        r = runner.invoke(app, ["add", str(negotiation.OUT / name), "--draft-of", "2002/82", "--stage", stage,
                                "--date", date, "--store", store])
        assert r.exit_code == 0, r.output
    result = runner.invoke(app, ["history", "2003/73", "-o", str(out), "--store", store])
    assert result.exit_code == 0, result.output
    return out.as_uri()


def test_history_shows_the_round_as_a_lane_with_its_negotiation_table(browser, negotiation_url: str) -> None:
    context = browser.new_context(viewport=VIEWPORT)  # axe is a script: JavaScript on
    page = context.new_page()
    try:
        page.goto(negotiation_url)
        lane = page.locator("#round-chr-2003-73 .lane .stage")
        assert lane.count() == 6  # 2002/82, zero, rev1, rev2, the L document, 2003/73
        assert [s.split("\n")[0] for s in lane.all_inner_texts()] == ["2002/82", "zero", "rev1", "rev2", "E/CN.4/2003/L.11", "2003/73"]
        boxes = [lane.nth(i).bounding_box() for i in range(2)]
        assert boxes[0]["x"] < boxes[1]["x"]  # a lane: side by side on a wide screen
        rows = page.locator("#round-chr-2003-73 .negotiation-table tbody tr")
        assert rows.count() == 30  # the 2003/73 title, 9 preambular and 20 operative paragraphs
        # The timeline links the adopted version to its round; a stage links to its redline.
        page.click("a.row-round")
        page.locator("#round-chr-2003-73 .lane a", has_text="rev1").click()
        section = page.locator("#round-chr-2003-73-s2")
        assert section.is_visible() and section.locator("ins").first.is_visible()
        assert "bracket" in section.inner_text().lower()
        assert _axe(page) == []
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
