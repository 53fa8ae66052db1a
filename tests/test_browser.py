"""The dashboard in a real Chromium against a real streamlit server, offline.

One server for the module (the project's curated records, built into a temporary folder), one
browser; every page is loaded and saved as a screenshot (1280 px wide; under docs/screenshots/ with
`make screenshots`).
Every request the browser makes is recorded: none may leave 127.0.0.1.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from benchmarks.server import CHROMIUM, CHROMIUM_ARGS, dashboard

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
# `make screenshots` sets SCREENSHOTS_DIR=docs/screenshots to refresh the README's images; `make test` keeps its
# screenshots out of the working tree.
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or Path(tempfile.gettempdir()) / "sco-explorer-screenshots")
PAGES = [
    ("", "Overview", "overview"),
    ("timeline", "Timeline", "timeline"),
    ("countries", "Countries", "countries"),
    ("map", "Map", "map"),
    ("meetings", "Meetings", "meetings"),
    ("downloads", "Downloads", "downloads"),
    ("method", "Data & method", "method"),
]
HOSTS: list[tuple[str, str]] = []  # (host, url) of every request the browser made


@pytest.fixture(scope="module")
def server(real_data):
    """A streamlit server on a free port serving dashboard.py over the built records; its base URL."""
    data, raw = real_data
    with dashboard(data, raw) as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh 1280 px wide page that records the host of every request."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)

    def record(request):
        """Remember the host of a request (data: urls load nothing)."""
        url = request.url
        if url.startswith("data:"):
            return
        HOSTS.append((urlparse(url.removeprefix("blob:")).hostname or "", url))

    pg.on("request", record)
    pg.base = server
    yield pg
    context.close()


def open_page(pg, path: str, title: str, query: str = "") -> None:
    """Load a page and wait until its title is drawn and the app is idle."""
    pg.goto(f"{pg.base}/{path}{'?' + query if query else ''}")
    pg.get_by_role("heading", name=title, exact=True).wait_for()
    wait_idle(pg)
    # elements load lazily: wait until no placeholder is left
    pg.wait_for_function(
        '() => !document.querySelector(\'[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]\')'
    )


def wait_idle(pg, quiet_ms: int = 750) -> None:
    """Wait until streamlit has finished running: no running indicator for ``quiet_ms`` in a row."""
    deadline = time.monotonic() + 30
    quiet_since = None
    while time.monotonic() < deadline:
        if pg.locator("[data-testid='stStatusWidget']").count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
            return
        pg.wait_for_timeout(100)
    raise AssertionError("streamlit kept running for 30 s")


def params(pg) -> dict[str, list[str]]:
    """The page URL's query parameters."""
    return parse_qs(urlparse(pg.url).query)


def test_every_page_loads_draws_its_charts_and_is_saved_as_a_screenshot(page):
    from PIL import Image

    SHOTS.mkdir(parents=True, exist_ok=True)
    waits = {
        "overview": "[data-testid='stDataFrame']",
        "timeline": ".js-plotly-plot .scatterlayer .points path",
        "countries": ".js-plotly-plot .barlayer",
        "map": "[data-testid='stDeckGlJsonChart'] canvas",
        "meetings": "[data-testid='stDataFrame']",
    }
    for path, title, name in PAGES:
        open_page(page, path, title)
        if name in waits:
            page.locator(waits[name]).first.wait_for()
            page.wait_for_timeout(1000 if name == "map" else 300)
        assert page.locator("[data-testid='stException']").count() == 0, name
        assert page.locator("[data-testid='stCaptionContainer']").first.inner_text()
        if name == "map":
            canvas = page.locator(waits["map"]).first
            box = canvas.bounding_box()
            assert box["width"] > 600 and box["height"] > 400
            pixels = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB").resize((80, 60))
            assert len(pixels.getcolors(maxcolors=80 * 60)) > 5  # countries, venues and arcs, not a blank canvas
            assert "Member" in page.locator(".map-legend").inner_text()
        if name == "timeline":
            assert page.locator(waits["timeline"]).count() > 50  # one dot per meeting
            assert page.locator(".js-plotly-plot").count() == 2  # and the membership timeline
        page.screenshot(path=str(SHOTS / f"{name}.png"))
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000


def test_a_filter_lands_in_the_url_and_survives_a_page_switch(page):
    open_page(page, "", "Overview")
    before = page.locator("[data-testid='stMetricValue']").first.inner_text()
    box = page.locator("[data-testid='stMultiSelect']").filter(has_text="Countries")
    box.locator("input").click()
    page.keyboard.type("India")
    page.get_by_role("option", name="India", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('countries=IND')")
    wait_idle(page)
    after = page.locator("[data-testid='stMetricValue']").first.inner_text()
    assert int(after) < int(before)
    assert "India" in page.locator("[data-testid='stCaptionContainer']").filter(has_text="Showing").inner_text()

    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Map").click()
    page.get_by_role("heading", name="Map", exact=True).wait_for()
    wait_idle(page)
    assert urlparse(page.url).path.endswith("/map")
    assert params(page).get("countries") == ["IND"]
    assert "India" in box.inner_text()


def test_a_link_with_filters_keeps_them_across_pages(page):
    open_page(page, "countries", "Countries", "countries=KAZ&countries=IND&series=heads_of_state")
    for link, title in (("Timeline", "Timeline"), ("Meetings", "Meetings")):
        page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=link).click()
        page.get_by_role("heading", name=title, exact=True).wait_for()
        wait_idle(page)
        assert params(page).get("countries") == ["KAZ", "IND"], link
        assert params(page).get("series") == ["heads_of_state"], link


def test_clicking_a_timeline_point_opens_that_meeting(page):
    open_page(page, "timeline", "Timeline", "series=foreign_ministers")
    point = page.locator(".js-plotly-plot .scatterlayer .points path").last
    point.click(force=True)
    page.wait_for_function("() => location.pathname.endsWith('/meetings') && location.search.includes('meeting=')")
    page.get_by_role("heading", name="Meetings", exact=True).wait_for()
    wait_idle(page)
    meeting = params(page)["meeting"][0]
    assert meeting.startswith("cfm-")
    assert params(page).get("series") == ["foreign_ministers"]
    assert page.locator("[data-testid='stHeading']").filter(has_text="Foreign Ministers").count() >= 1


def test_clicking_a_country_bar_filters_to_that_country_and_puts_it_in_the_url(page):
    open_page(page, "countries", "Countries")
    bars = page.locator(".js-plotly-plot").first.locator(".barlayer .point path")
    bars.first.wait_for()
    bars.last.click(force=True)  # the longest bar: the country that attended most meetings
    page.wait_for_function("() => location.search.includes('countries=')")
    wait_idle(page)
    code = params(page)["countries"]
    assert len(code) == 1 and re.fullmatch(r"[A-Z]{3}", code[0])
    showing = page.locator("[data-testid='stCaptionContainer']").filter(has_text="Showing").inner_text()
    assert showing.startswith("Showing: All meetings, ") and "," not in showing.split("meetings, ")[1].split(":")[0]


def test_a_download_holds_exactly_the_rows_the_page_shows(page, tmp_path):
    open_page(page, "downloads", "Downloads", "countries=IND&series=heads_of_state")
    heading = page.get_by_role("heading", name=re.compile(r"^Meetings \(\d+ rows\)$")).inner_text()
    shown = int(re.search(r"\((\d+) rows\)", heading).group(1))
    assert shown > 0
    with page.expect_download() as info:
        page.locator(".st-key-download_meetings_csv button").click()  # streamlit tags keyed elements st-key-<key>
    download = info.value
    assert download.suggested_filename == "sco_meetings_heads-of-state_ind.csv", download.suggested_filename
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    import pandas as pd

    frame = pd.read_csv(target)
    assert len(frame) == shown
    assert set(frame["series"]) == {"heads_of_state"}

    with page.expect_download() as info:  # Excel is made when clicked (a deferred download)
        page.locator(".st-key-download_meetings_xlsx button").click()
    assert info.value.suggested_filename == "sco_meetings_heads-of-state_ind.xlsx"
    info.value.save_as(tmp_path / "meetings.xlsx")
    sheet = pd.read_excel(tmp_path / "meetings.xlsx")
    assert list(sheet["meeting_id"]) == list(frame["meeting_id"])


def test_no_request_left_the_machine():
    assert HOSTS, "the other tests recorded no request"
    outside = sorted({url for host, url in HOSTS if host != "127.0.0.1"})
    assert not outside, outside
