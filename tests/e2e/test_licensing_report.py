"""End to end in headless Chromium: the licensing report under /reports/licensing/.

A partner opens the report for the region, then for one local authority chosen with the
form: it states its source and period, ranks the premises in a captioned table, its tables'
CSVs hold the page's numbers, and its PDF opens and tells the same story. Other roles and
visitors are kept out, and the report passes axe-core with no serious or critical violation.
"""

from __future__ import annotations

import csv
import io
import re
import zlib
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from tests.e2e.test_browser import log_in
from tests.e2e.test_dashboards import serious_violations, table_rows

pytestmark = [pytest.mark.browser, pytest.mark.database]

HEADING = "Licensing report: ED assaults linked to licensed premises"
SANDWELL = "E08000028"
SOURCE = "ED assault attendances (ISTV)"


def pdf_text(document: bytes) -> str:
    """The text a PDF written by fpdf2 shows: its content streams, inflated, with the string
    escapes undone. Enough to check a heading or a name is there, without a PDF library."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", document, re.S)
    text = "\n".join(zlib.decompress(stream).decode("latin-1") for stream in streams)
    return re.sub(r"\\([()\\])", r"\1", text)


def period_of(page) -> str:
    return (
        f"{page.get_by_label('From (month)').input_value()} to "
        + page.get_by_label("To (month, included)").input_value()
    )


def check_report(page, area: str) -> list[list[str]]:
    """The report on the page is for `area`: heading, subject, source and period stated, and
    the ranked premises in a captioned table, ranked by linked assaults. Returns its rows."""
    page.get_by_role("heading", name=HEADING, level=1).wait_for()
    period = period_of(page)
    assert re.fullmatch(r"\d{4}-\d{2} to \d{4}-\d{2}", period), period
    assert page.locator(".report-subject").inner_text() == f"{area[:1].upper()}{area[1:]}, {period}"
    source = page.locator("p.source").inner_text()
    assert source.startswith(f"Source: {SOURCE}") and period in source
    ranking = page.get_by_role("table", name=re.compile("ranked by ED assaults"))
    caption = ranking.locator("caption").inner_text()
    assert f"Licensed premises in {area} ranked" in caption
    assert SOURCE in caption and period in caption
    headers = ranking.locator("thead th").all_inner_texts()
    assert headers[:3] == ["Rank", "Premises", "Address"] and "Linked assaults" in headers
    rows = table_rows(ranking)
    assert rows, "no premises ranked: the demo links some ED assaults to premises"
    linked = [int(row[headers.index("Linked assaults")]) for row in rows]
    assert [row[0] for row in rows] == [str(rank) for rank in range(1, len(rows) + 1)]
    assert linked == sorted(linked, reverse=True) and linked[-1] > 0
    return rows


def test_partner_reads_the_report_and_opens_its_pdf(page, demo_app):
    url, password = demo_app
    log_in(page, url, "demo-partner", password)
    page.get_by_role("heading", name="Welcome, demo-partner").wait_for()
    page.goto(f"{url}reports/licensing/")
    check_report(page, "the region")

    # One local authority, chosen with the form; the address keeps the choice.
    page.get_by_label("Area", exact=True).select_option(label="Sandwell")
    page.get_by_role("button", name="Show the report").click()
    page.wait_for_url(re.compile(f"la={SANDWELL}"))
    rows = check_report(page, "Sandwell")
    period = period_of(page)
    page.reload()
    assert page.get_by_label("Area", exact=True).input_value() == SANDWELL

    # The day-of-week table and its CSV hold the same numbers.
    weekday = page.locator("table#table-weekday")
    assert "Source: " in weekday.locator("caption").inner_text()
    href = page.locator("#table-weekday").locator("xpath=../following-sibling::p[1]/a")
    response = page.request.get(urljoin(page.url, href.get_attribute("href")))
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    downloaded = [list(line.values()) for line in csv.DictReader(io.StringIO(response.text()))]
    assert downloaded == table_rows(weekday)

    # The PDF: the same report, for the same area and period.
    link = page.get_by_role("link", name="Download this report as a PDF")
    assert parse_qs(urlsplit(link.get_attribute("href")).query)["la"] == [SANDWELL]
    response = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "inline" in response.headers["content-disposition"]
    document = response.body()
    assert document.startswith(b"%PDF-") and document.rstrip().endswith(b"%%EOF")
    text = pdf_text(document)
    assert HEADING in text and f"Sandwell, {period}" in text
    assert f"Source: {SOURCE}" in text
    top_premises = rows[0][1]
    assert top_premises in text


@pytest.mark.parametrize("who", [None, "demo-provider"])
def test_the_report_is_for_partners_only(page, demo_app, who):
    url, password = demo_app
    if who:
        log_in(page, url, who, password)
        page.get_by_role("heading", name=f"Welcome, {who}").wait_for()
    for path in ["reports/licensing/", "reports/licensing/report.pdf"]:
        response = page.request.get(url + path)
        if who:
            assert response.status == 403, path
        else:
            assert "/accounts/login/" in response.url, path
        assert not response.body().startswith(b"%PDF")


@pytest.mark.parametrize("query", ["", f"?la={SANDWELL}"])
def test_the_report_has_no_serious_accessibility_violations(page, demo_app, query):
    url, password = demo_app
    log_in(page, url, "demo-partner", password)
    page.get_by_role("heading", name="Welcome, demo-partner").wait_for()
    page.goto(f"{url}reports/licensing/{query}")
    page.get_by_role("heading", name=HEADING).wait_for()
    violations = serious_violations(page)
    assert not violations, "\n".join(violations)
