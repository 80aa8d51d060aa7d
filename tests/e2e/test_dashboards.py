"""End to end in headless Chromium: the partner dashboards under /dashboards/.

A partner logs in, filters with the form, sees the filters survive a reload (they live in the
URL), drills down region → local authority → ward by clicking the compare table's links and
the map's areas, and downloads a CSV whose numbers are the table's; the drawn trend chart
holds the CSV's numbers; and every page passes axe-core with no serious or critical violation.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.database]

BIRMINGHAM = "E08000025"  # the demo partner's local authority
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-figure]')].every(
    (chart) => chart.querySelector('.main-svg') || chart.textContent.trim())"""
PARTNER_PAGES = [
    "",
    "map/",
    "time/",
    "who/",
    "compare/",
    f"?source=police.uk&source=force&source=ed&area={BIRMINGHAM}",
    "compare/?source=ed&area=E05900001",
]


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each: rule id,
    impact, and the elements (CSS selectors) it found them on."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}) on {page.url}: "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def wait_for_charts(page) -> None:
    """Wait until every chart is drawn by Plotly (or has said why not), and check none failed:
    charts need nothing from the internet, so none may fall back to its message."""
    page.wait_for_function(CHARTS_DRAWN)
    assert page.get_by_text("The chart could not be drawn").count() == 0


def filters_in(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def table_rows(table) -> list[list[str]]:
    """The body rows of a table as the reader sees them: the row header, then each cell."""
    return [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]


@pytest.fixture(scope="module")
def partner_state(browser, demo_app):
    """The demo partner's logged-in session (cookies), made once for the module."""
    url, password = demo_app
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    log_in(page, url, "demo-partner", password)
    page.get_by_role("heading", name="Welcome, demo-partner").wait_for()
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def partner_page(browser, partner_state):
    context = browser.new_context(locale="en-GB", storage_state=partner_state)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_partner_filters_drills_down_to_a_ward_and_downloads_the_tables_csv(page, demo_app):
    url, password = demo_app
    log_in(page, url, "demo-partner", password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards").click()
    page.get_by_role("heading", name="Overview: The region").wait_for()

    # Filter with the form: emergency departments only, over the latest month.
    latest = page.get_by_label("To (month)").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}", latest), latest
    page.get_by_label("From (month)").fill(latest)
    page.get_by_role("checkbox", name="police.uk", exact=True).uncheck()
    page.get_by_role("checkbox", name="Emergency departments").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"source=ed"))
    chosen = {"from": [latest], "to": [latest], "source": ["ed"]}
    assert filters_in(page.url) == chosen

    # The filters live in the URL: a reload keeps them, in the form and in the figures.
    page.reload()
    assert page.get_by_label("From (month)").input_value() == latest
    assert page.get_by_label("To (month)").input_value() == latest
    assert page.get_by_role("checkbox", name="Emergency departments").is_checked()
    assert not page.get_by_role("checkbox", name="police.uk", exact=True).is_checked()
    lead = page.locator("p.lead").inner_text()
    assert f"{latest} to {latest}" in lead and "emergency-department" in lead
    assert "police.uk" not in lead

    # Region → local authority → ward, through the compare table's links.
    pages = page.get_by_role("navigation", name="Dashboard pages")
    pages.get_by_role("link", name="Compare areas").click()
    page.get_by_role("heading", name="Compare areas: The region").wait_for()
    assert filters_in(page.url) == chosen
    page.get_by_role("table").get_by_role("link", name="Birmingham", exact=True).click()
    page.get_by_role("heading", name="Compare areas: Birmingham").wait_for()
    assert filters_in(page.url) == chosen | {"area": [BIRMINGHAM]}
    assert "Wards in Birmingham" in page.get_by_role("table").locator("caption").inner_text()

    ward_row = next(
        row
        for row in page.locator("table tbody tr").all()
        if row.get_by_role("link").count()
        and row.locator("td[data-count]").inner_text().replace(",", "").isdigit()
        and int(row.locator("td[data-count]").inner_text().replace(",", "")) > 0
    )
    ward = ward_row.get_by_role("link").inner_text()
    ward_row.get_by_role("link").click()
    page.get_by_role("heading", name=f"Compare areas: {ward}").wait_for()
    ward_code = filters_in(page.url)["area"][0]
    assert ward_code.startswith("E05"), page.url
    assert filters_in(page.url) == chosen | {"area": [ward_code]}
    trail = page.get_by_role("navigation", name="Area")
    assert trail.get_by_role("link").all_inner_texts() == ["Region", "Birmingham"]
    assert trail.locator("[aria-current=location]").inner_text() == ward

    # The table's CSV download holds exactly the numbers the table shows.
    table = page.get_by_role("table")
    shown = table_rows(table)
    assert len(shown) > 1
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"as CSV$")).click()
    assert download.value.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    code = next(column for column in rows[0] if column.endswith("_code"))
    name = next(column for column in rows[0] if column.endswith("_name"))
    assert all(row["source"] == "ed" for row in rows)
    expected = [
        [
            row[name] if row[code] else ward,  # the total row is the ward itself
            f"{int(row['count']):,}",
            f"{float(row['value']):,.1f}",
            f"{float(row['lower']):,.1f} to {float(row['upper']):,.1f}",
        ]
        for row in rows
    ]
    assert [line[:4] for line in shown] == expected
    assert sum(int(row["count"]) for row in rows if row[code]) == int(rows[-1]["count"]) > 0


def test_clicking_the_map_drills_down_to_a_ward(partner_page, demo_app):
    url, _ = demo_app
    page = partner_page
    page.goto(f"{url}dashboards/map/")
    trail = page.get_by_role("navigation", name="Area")
    for level, code_prefix in [("Local authorities", "E08"), ("Wards", "E05")]:
        wait_for_charts(page)
        table = page.get_by_role("table")
        assert table.locator("caption").inner_text().startswith(level)
        names = [row[0] for row in table_rows(table)][:-1]  # the last row is the total
        outlines = page.locator(".chart path.choroplethlocation")
        assert outlines.count() == len(names)
        before = trail.locator("li").count()
        outlines.first.click(force=True)
        page.wait_for_url(re.compile(rf"area={code_prefix}"))
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading.removeprefix("Map: ") in names
        assert trail.locator("li").count() == before + 1
    wait_for_charts(page)
    assert page.get_by_role("table").locator("caption").inner_text().startswith("Small areas")


def test_the_drawn_trend_chart_holds_its_csvs_numbers(partner_page, demo_app):
    url, _ = demo_app
    page = partner_page
    page.goto(f"{url}dashboards/time/?source=ed&area={BIRMINGHAM}")
    wait_for_charts(page)
    traces = page.evaluate("document.querySelector('[data-figure=\"figure-trend\"]').data")
    drawn = next(trace for trace in traces if trace["name"] == "Emergency departments: events")
    link = page.get_by_role("link", name="Download “Events by month” as CSV")
    response = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert drawn["x"] == [row["month"] for row in rows]
    assert drawn["y"] == [int(row["count"]) for row in rows]
    table = page.get_by_role("table", name=re.compile("Events by month"))
    assert [line[2] for line in table_rows(table)] == [f"{y:,}" for y in drawn["y"]]


@pytest.mark.parametrize("path", PARTNER_PAGES)
def test_dashboard_pages_have_no_serious_accessibility_violations(partner_page, demo_app, path):
    url, _ = demo_app
    partner_page.goto(f"{url}dashboards/{path}")
    wait_for_charts(partner_page)
    violations = serious_violations(partner_page)
    assert not violations, "\n".join(violations)
