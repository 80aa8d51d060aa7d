"""End to end in headless Chromium: the public dashboards under /public/, with no login.

Every page loads with no console error and draws its charts; no count from 1 to 7 shows
anywhere a count is shown (table cells, headline tiles, chart data, hover text, axis ticks),
nor in any CSV or JSON the pages link to; small areas and force data stay refused; and every
page passes axe-core with no serious or critical violation.
"""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest

from tests.e2e.test_dashboards import BIRMINGHAM, serious_violations, wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.database]

WALSALL = "E08000030"
PUBLIC_PAGES = ["", "map/", "time/", "who/", "compare/"]
# Each page at the region and at wards, alone and side by side, and narrowed by age, so that
# small numbers are there to be hidden.
QUERIES = [
    "",
    "?source=police.uk&source=ed",
    f"?source=police.uk&source=ed&area={BIRMINGHAM}",
    f"?source=ed&area={WALSALL}&age_band=15-17",
]
SMALL = range(1, 8)
COUNT_IN_TEXT = re.compile(r"^(\d[\d,]*)$|(\d[\d,]*) events")
TICKS = "g.ytick text, g.y2tick text, g[class^=ycb] text"  # count axes and colour bars
FIGURES = "script[type='application/json'][id^=figure-]"


def small_counts(texts) -> list[str]:
    """The texts among `texts` that show a count from 1 to 7 as a number."""
    found = []
    for text in texts:
        for match in COUNT_IN_TEXT.finditer(str(text).strip()):
            number = int((match[1] or match[2]).replace(",", ""))
            if number in SMALL:
                found.append(str(text))
    return found


def figure_counts(figure: dict) -> list:
    """What a chart shows as counts: bar and count-line heights, heat-map cells, and the
    hover text of every trace (expected values and limits are model estimates, not counts)."""
    shown = []
    for trace in figure["data"]:
        if trace["type"] == "heatmap":
            shown += [value for row in trace["z"] for value in row]
        elif trace["type"] in ("bar", "scatter") and not trace["name"].endswith(
            ("expected", "upper limit")
        ):
            shown += trace["y"]
        texts = trace.get("text", [])
        shown += [text for row in texts for text in (row if isinstance(row, list) else [row])]
    return [value for value in shown if value is not None]


def count_columns(columns) -> list[str]:
    """The columns of a public table that hold counts: `count`, and every column protected
    by disclosure control (it has a `<column>_status` beside it)."""
    return [c for c in columns if c == "count" or f"{c}_status" in columns]


def small_in_rows(rows: list[dict]) -> list[dict]:
    if not rows:
        return []
    columns = count_columns(list(rows[0]))
    assert "count" in columns, list(rows[0])
    return [
        row
        for row in rows
        for column in columns
        if row[column] not in (None, "") and int(row[column]) in SMALL
    ]


def check_download(page, href: str) -> int:
    """Fetch a CSV the page links to, and the same panel as JSON: neither may hold a count
    from 1 to 7. Returns how many rows the CSV has."""
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200, (href, response.text())
    assert response.headers["content-type"].startswith("text/csv"), href
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert small_in_rows(rows) == [], href
    params = parse_qs(urlsplit(href).query)
    assert params.pop("format") == ["csv"]
    as_json = urlsplit(href)._replace(query=urlencode(params, doseq=True)).geturl()
    response = page.request.get(urljoin(page.url, as_json))
    assert response.status == 200, (as_json, response.text())
    assert small_in_rows(response.json()["rows"]) == [], as_json
    return len(rows)


def open_watching_console(page, address: str) -> list[str]:
    """Open `address`, wait for its charts; return the console errors and uncaught
    exceptions the page raised on the way."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(address)
    assert response.status == 200, address
    wait_for_charts(page)
    page.wait_for_load_state("networkidle")
    return errors


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_console_errors_and_no_small_count(page, demo_app, path):
    url, _ = demo_app
    hidden = 0
    for query in QUERIES:
        address = f"{url}public/{path}{query}"
        assert open_watching_console(page, address) == [], address
        assert page.get_by_role("heading", name="About the data").is_visible()
        assert page.get_by_role("link", name="Log in").first.is_visible()  # nobody logged in

        cells = page.locator("[data-count]").all_inner_texts()  # table count cells and tiles
        assert cells, address
        assert small_counts(cells) == [], address
        hidden += sum("fewer than" in cell or "hidden" in cell for cell in cells)
        for figure in page.locator(FIGURES).all_text_contents():
            assert small_counts(figure_counts(json.loads(figure))) == [], address
        assert small_counts(page.locator(f".chart {TICKS}").all_text_contents()) == [], address

        links = page.locator("a[href*='/api/']").evaluate_all("links => links.map(a => a.href)")
        assert links and all("/api/public/" in link for link in links), links
        for link in links:
            check_download(page, link)
        for figure in page.locator(FIGURES).all_text_contents():
            if outlines := json.loads(figure).get("geojson"):
                assert "/api/public/boundaries" in outlines
                response = page.request.get(urljoin(page.url, outlines))
                assert response.ok and response.json()["type"] == "FeatureCollection"
    assert hidden, "no count was hidden: the scan never met a small number to check"


def test_public_pages_refuse_small_areas_and_force_data(page, demo_app):
    url, _ = demo_app
    ward = "E05900001"
    for address in [
        f"public/?area={ward}",
        f"public/compare/?source=ed&area={ward}",
        "public/?source=force",
        f"api/public/areas?area={ward}&format=csv",
        "api/public/trend?source=force",
    ]:
        response = page.request.get(url + address)
        assert response.status == 400, address


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, f"compare/?source=ed&area={BIRMINGHAM}"])
def test_public_pages_have_no_serious_accessibility_violations(page, demo_app, path):
    url, _ = demo_app
    page.goto(f"{url}public/{path}")
    wait_for_charts(page)
    violations = serious_violations(page)
    assert not violations, "\n".join(violations)
