"""`twinpress serve` in a real browser: Debian's Chromium, headless, driven by Playwright.

One server (two audiences) serves the module's tests in turn; each test opens its own tab
and leaves the source as it found it.
"""

from __future__ import annotations

import io
import os
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from serving import Served, chromium, edit

from pipeline.audience import load_profiles, select
from pipeline.loader import load_document
from pipeline.project import Project

SOURCE, FIRST, SECOND = "rust-vs-go", "tech-leaders", "executives"
WAIT = 60_000  # ms: a rebuild takes about a second; CI machines are slower and shared


@pytest.fixture(scope="module")
def served_project(template_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("served") / "project"
    shutil.copytree(template_project, root, copy_function=os.link)
    return Project(root)


@pytest.fixture(scope="module")
def server(served_project: Project):
    served = Served(served_project.root, "-a", FIRST, "-a", SECOND, "-j", "2")
    yield served
    assert served.stop() == 0, "\n".join(served.seen)
    assert served.seen[-1] == "stopped"


@pytest.fixture(scope="module")
def browser():
    with chromium() as context:
        yield context


@pytest.fixture
def page(browser, server):
    tab = browser.new_page()
    tab.requests = []
    tab.errors = []
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    assert all(u.startswith(server.url) for u in tab.requests), "a request left the server"
    assert not tab.errors, tab.errors  # a script error or a Content-Security-Policy refusal
    tab.close()


def titles(project: Project, audience: str) -> list[str]:
    """The section titles an audience's outputs hold, computed here from the source."""
    document = load_document(project.content / f"{SOURCE}.yaml", project)
    profile = load_profiles(project.audiences_file)[audience]
    return [s.title for s in select(document, profile).sections]


def briefing(page: Page):
    return page.frame_locator("#frames iframe.current")


def open_view(page: Page, server: Served, audience: str = FIRST) -> None:
    page.goto(f"{server.url}preview/{SOURCE}/{audience}")
    expect(briefing(page).locator("h2.section-title").first).to_be_visible(timeout=WAIT)


def wait_slides(page: Page, server: Served, audience: str) -> dict:
    state = server.wait_state(
        lambda s: s["view"] and s["view"]["deck"]["status"] == "ready", SOURCE, audience, 240
    )
    count = len(state["view"]["deck"]["slides"])
    expect(page.locator("#slides img")).to_have_count(count, timeout=WAIT)
    return state


def test_the_page_shows_every_section_title_the_slides_and_the_downloads(
    page, server, served_project, tmp_path
):
    page.goto(server.url)  # before the first build is done: the page waits, then shows it
    page.wait_for_url(f"**/preview/{SOURCE}/{FIRST}", timeout=WAIT)
    headings = briefing(page).locator("h2.section-title")
    expected = titles(served_project, FIRST)
    expect(headings).to_have_count(len(expected), timeout=WAIT)
    for title, shown in zip(expected, headings.all_inner_texts(), strict=True):
        assert shown.endswith(title)
    expect(page.locator("#doc-title")).to_have_text(
        "Rust vs. Go: The Battle for the Future of Backend Development"
    )

    from PIL import Image
    from pptx import Presentation

    deck_path = served_project.output / FIRST / f"{SOURCE}.pptx"
    deck = Presentation(str(deck_path))
    wait_slides(page, server, FIRST)
    images = page.locator("#slides img")
    expect(images).to_have_count(len(deck.slides))
    alts = images.evaluate_all("all => all.map(i => i.alt)")
    assert alts[0] == f"Slide 1: {deck.slides[0].shapes.title.text_frame.text}"
    assert alts[1] == "Slide 2: Agenda"
    page.wait_for_function(
        "() => { const i = document.querySelector('#slides img');"
        " return i.complete && i.naturalWidth === 1280; }",
        timeout=WAIT,
    )
    first = Image.open(io.BytesIO(server.get(images.first.get_attribute("src"))))
    assert first.width == 1280
    assert abs(first.height - 1280 * deck.slide_height / deck.slide_width) <= 1
    assert len(first.getcolors(1 << 24)) > 50  # drawn, not blank

    shot = tmp_path / "serve.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000
    if os.environ.get("TWINPRESS_SCREENSHOT"):  # a copy for people to look at
        shutil.copy(shot, os.environ["TWINPRESS_SCREENSHOT"])

    for fmt in ("pptx", "pdf"):
        with page.expect_download() as download:
            page.locator(f"#downloads a[data-format={fmt}]").click()
        saved = Path(download.value.path()).read_bytes()
        assert saved == (served_project.output / FIRST / f"{SOURCE}.{fmt}").read_bytes()


def test_the_audience_switcher_shows_another_audience_without_reloading_the_page(
    page, server, served_project
):
    open_view(page, server)
    page.evaluate("window.sameDocument = true")
    page.locator("#audiences a", has_text="Executive board").click()
    page.wait_for_url(f"**/preview/{SOURCE}/{SECOND}")
    headings = briefing(page).locator("h2.section-title")
    expect(headings).to_have_count(len(titles(served_project, SECOND)), timeout=WAIT)
    expect(briefing(page).locator("body")).to_contain_text("Executive board")
    expect(page.locator("#audiences a[aria-current=page]")).to_have_text("Executive board")
    wait_slides(page, server, SECOND)
    assert page.evaluate("window.sameDocument") is True

    page.go_back()
    page.wait_for_url(f"**/preview/{SOURCE}/{FIRST}")
    expect(headings).to_have_count(len(titles(served_project, FIRST)), timeout=WAIT)
    expect(page.locator("#audiences a[aria-current=page]")).to_have_text("Tech leaders")


def test_a_saved_title_edit_appears_in_the_open_page_at_the_same_place(
    page, server, served_project
):
    open_view(page, server)
    wait_slides(page, server, FIRST)
    page.evaluate("window.sameDocument = true")
    frame = briefing(page)
    # Read from the 'future' section; the edit lengthens a title above it.
    target = frame.locator("#s-future_title")
    target.evaluate("h => { h.scrollIntoView(); h.ownerDocument.defaultView.scrollBy(0, -40); }")
    before = target.evaluate("h => h.getBoundingClientRect().top")
    deck_pane = page.locator("#deck-body")
    deck_pane.evaluate("pane => { pane.scrollTop = 1200; }")

    source = served_project.content / f"{SOURCE}.yaml"
    new = "Performance: Speed vs. Efficiency, measured on real backend services at scale"
    saved = time.monotonic()
    edit(source, 'title: "Performance: Speed vs. Efficiency"', f'title: "{new}"')
    try:
        expect(frame.locator("#s-performance_title")).to_contain_text(new, timeout=WAIT)
        print(f"\nsave to page: {time.monotonic() - saved:.2f} s")
        assert page.evaluate("window.sameDocument") is True  # updated in place, not reloaded
        after = target.evaluate("h => h.getBoundingClientRect().top")
        assert abs(after - before) <= 2, (before, after)  # the reader's place is kept
        # The slides follow once LibreOffice has drawn the new deck, in the same list.
        page.wait_for_function(
            "t => [...document.querySelectorAll('#slides img')].some(i => i.alt.includes(t))",
            arg=new,
            timeout=240_000,
        )
        print(f"save to slides: {time.monotonic() - saved:.2f} s")
        assert deck_pane.evaluate("pane => pane.scrollTop") == 1200
        assert page.evaluate("window.sameDocument") is True
    finally:
        edit(source, f'title: "{new}"', 'title: "Performance: Speed vs. Efficiency"')
    expect(frame.locator("#s-performance_title")).not_to_contain_text(new, timeout=WAIT)


def test_an_error_appears_in_the_page_over_the_last_preview_and_goes_when_fixed(
    page, server, served_project
):
    open_view(page, server)
    good = titles(served_project, FIRST)
    problems = page.locator("#problems")
    expect(problems).to_be_hidden()
    source = served_project.content / f"{SOURCE}.yaml"
    edit(source, "  - bullets:", "  - <b>bulets</b>:")  # HTML in a diagnostic stays text
    try:
        line = server.wait_for("[content.unknown-kind]")
        expect(problems).to_be_visible(timeout=WAIT)
        shown = problems.locator("pre", has_text="[content.unknown-kind]").first
        expect(shown).to_contain_text("unknown block kind '<b>bulets</b>'")
        first, *rest = shown.inner_text().split("\n")
        assert first == line  # the terminal's own words: path:line:col: error: ... [code]
        assert first.startswith(f"content/{SOURCE}.yaml:")
        for extra in rest:  # the hint, printed on the next line
            assert server.wait_for(extra.strip()) == extra
        assert problems.locator("b").count() == 0
        expect(problems.locator("h2")).to_contain_text("showing the last good preview")
        # The last good briefing and slides stay on screen underneath.
        expect(briefing(page).locator("h2.section-title")).to_have_count(len(good))
        assert page.locator("#slides img").count() > 0
    finally:
        edit(source, "  - <b>bulets</b>:", "  - bullets:")
    expect(problems).to_be_hidden(timeout=WAIT)


def test_without_libreoffice_the_page_shows_the_decks_outline_and_says_why(
    browser, template_project, tmp_path
):
    from pptx import Presentation

    root = tmp_path / "project"
    shutil.copytree(template_project, root, copy_function=os.link)
    (tmp_path / "bin").mkdir()
    served = Served(root, "-a", SECOND, "-j", "1", env={"PATH": str(tmp_path / "bin")})
    try:
        served.wait_for("note: LibreOffice is not installed")
        served.wait_for("watching content and themes")
        page = browser.new_page()
        page.goto(served.url)
        expect(page.locator("#deck-notice")).to_contain_text(
            "LibreOffice is not installed", timeout=WAIT
        )
        expect(page.locator("#deck-notice")).to_contain_text("apt-get install libreoffice-impress")
        deck = Presentation(str(root / "output" / SECOND / f"{SOURCE}.pptx"))
        expected = [" ".join(s.shapes.title.text_frame.text.split()) for s in deck.slides]
        expect(page.locator("#outline li")).to_have_count(len(expected), timeout=WAIT)
        assert page.locator("#outline li").all_inner_texts() == expected
        assert page.locator("#slides img").count() == 0
        expect(page.locator("#deck-count")).to_have_text(f"{len(expected)} slides")
        # The briefing does not need LibreOffice.
        expect(briefing(page).locator("h2.section-title").first).to_be_visible()
        page.close()
    finally:
        assert served.stop() == 0


def test_a_source_broken_from_the_start_shows_its_errors_then_the_preview_once_fixed(
    browser, template_project, tmp_path
):
    root = tmp_path / "project"
    shutil.copytree(template_project, root, copy_function=os.link)
    source = root / "content" / f"{SOURCE}.yaml"
    edit(source, 'title: "Rust vs. Go', "title: [broken")
    served = Served(root, "-a", SECOND, "-j", "1")
    try:
        served.wait_for("[yaml.syntax]")
        page = browser.new_page()
        page.goto(served.url)
        expect(page.locator("#problems pre")).to_contain_text("[yaml.syntax]", timeout=WAIT)
        expect(page.locator("#problems h2")).to_contain_text("nothing to show yet")
        expect(page.locator("#deck-notice")).to_have_text("Nothing has been built yet.")
        expect(page.locator("#status")).to_contain_text("Not rebuilt")
        edit(source, "title: [broken", 'title: "Rust vs. Go')
        page.wait_for_url(f"**/preview/{SOURCE}/{SECOND}", timeout=WAIT)
        expect(page.locator("#problems")).to_be_hidden(timeout=WAIT)
        expect(briefing(page).locator("h2.section-title").first).to_be_visible(timeout=WAIT)
        page.close()
    finally:
        assert served.stop() == 0
