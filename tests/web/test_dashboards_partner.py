"""The partner dashboards under /dashboards/: who may open them, filters that survive in the
URL, drill-down links, tables that agree with their CSV downloads, and friendly pages for bad
filters and an empty lake. On a small demo region generated and imported once for the tests."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from observatory.web.accounts.roles import Role

PAGES = ["", "map/", "time/", "who/", "compare/"]
BIRMINGHAM = "E08000025"


class Tables(HTMLParser):
    """The page's tables as the tests read them: per table its caption, its rows (cell
    texts), the count cells (`data-count`) and the CSV link of the panel around it."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[dict] = []
        self.links: list[str] = []
        self._text: list[str] | None = None
        self._in_caption = False
        self._count = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "counts": [], "csv": None})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._text, self._count = [], "data-count" in attrs
        elif tag == "a" and attrs.get("href"):
            self.links.append(unescape(attrs["href"]))
            if "download" in attrs and self.tables and self.tables[-1]["csv"] is None:
                self.tables[-1]["csv"] = unescape(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._text is not None and self.tables:
            text = " ".join("".join(self._text).split())
            self.tables[-1]["rows"][-1].append(text)
            if self._count:
                self.tables[-1]["counts"].append(text)
            self._text = None

    def handle_data(self, data):
        if self._in_caption and self.tables:
            self.tables[-1]["caption"] += data
        if self._text is not None:
            self._text.append(data)


def read_csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def as_number(text: str) -> int | None:
    return int(text.replace(",", "")) if re.fullmatch(r"[\d,]+", text) else None


@pytest.fixture
def partner(partnership, login, lake):
    return login(partnership["users"][Role.PARTNER])


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_for_a_partner(partner, path):
    response = partner.get(f"/dashboards/{path}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html and "Show</button>" in html
    tables = Tables(html).tables
    assert tables and all(table["caption"].strip() for table in tables)
    assert all(table["csv"] and "format=csv" in table["csv"] for table in tables)


@pytest.mark.parametrize("path", PAGES)
def test_a_provider_is_refused(partnership, login, lake, path):
    client = login(partnership["users"][Role.PROVIDER])
    assert client.get(f"/dashboards/{path}").status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, lake, path):
    response = client.get(f"/dashboards/{path}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_filters_round_trip_in_the_links(partner):
    query = "from=2025-11&to=2025-12&source=ed&category=knife/sharp+object&age_band=18-24&sex=M"
    html = partner.get(f"/dashboards/who/?{query}").content.decode()
    expected = parse_qs(query)
    for page in ("/dashboards/map/", "/dashboards/time/", "/dashboards/compare/"):
        link = next(link for link in Tables(html).links if urlsplit(link).path == page)
        assert parse_qs(urlsplit(link).query) == expected
    assert 'value="2025-11"' in html and 'value="2025-12"' in html
    assert 'value="ed" checked' in html and 'value="knife/sharp object" checked' in html
    assert 'value="18-24" selected' in html and 'value="M" selected' in html


def test_drilling_down_goes_region_to_small_area(partner):
    html = partner.get("/dashboards/compare/").content.decode()
    into = [link for link in Tables(html).links if f"area={BIRMINGHAM}" in link]
    assert into and urlsplit(into[0]).path == "/dashboards/compare/"
    html = partner.get(into[0]).content.decode()
    assert "<h1>Compare areas: Birmingham</h1>" in html
    wards = [
        link
        for link in Tables(html).links
        if "area=E05" in link and urlsplit(link).path == "/dashboards/compare/"
    ]
    assert wards, "the local authority's wards link one level down"
    html = partner.get(wards[0]).content.decode()
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    assert "Region" in crumbs and f"area={BIRMINGHAM}" in crumbs
    small_areas = [link for link in Tables(html).links if "area=E01" in link]
    assert small_areas
    assert partner.get(small_areas[0]).status_code == 200


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("compare/", "source=police.uk"),
        ("compare/", f"source=force&area={BIRMINGHAM}"),
        ("time/", "source=ed&source=police.uk"),
        ("who/", "source=ed"),
    ],
)
def test_each_table_agrees_with_its_csv(partner, path, query):
    html = partner.get(f"/dashboards/{path}?{query}").content.decode()
    tables = [table for table in Tables(html).tables if table["counts"]]
    assert tables
    for table in tables:
        rows = read_csv(partner, table["csv"])
        if "hour" in rows[0]:  # the hour x weekday grid: rows by weekday, columns by hour
            rows = sorted(rows, key=lambda row: (int(row["weekday"]), int(row["hour"])))
        shown = [as_number(text) for text in table["counts"]]
        downloaded = [int(row["count"]) for row in rows]
        if "rolling_12" in rows[0]:  # the trend table shows the rolling total too
            shown = shown[::2]
        assert shown == downloaded, table["caption"]


def test_combined_view_shows_sources_side_by_side(partner):
    html = partner.get("/dashboards/compare/?source=police.uk&source=ed").content.decode()
    tables = Tables(html).tables
    assert len(tables) == 2
    assert {parse_qs(urlsplit(t["csv"]).query)["source"][0] for t in tables} == {"police.uk", "ed"}


def test_overview_has_tiles_map_trend_and_standouts(partner):
    html = partner.get("/dashboards/").content.decode()
    assert "Headline figures" in html and "Change on last year" in html
    assert 'data-figure="figure-map-police.uk"' in html and 'id="figure-trend"' in html
    assert "Areas that stand out" in html
    assert "/api/boundaries?" in html


def test_bad_filters_get_the_sentence_and_400(partner):
    response = partner.get("/dashboards/map/?from=2025-13")
    assert response.status_code == 400
    assert "is not a month written YYYY-MM" in response.content.decode()
    response = partner.get("/dashboards/?area=E99999999")
    assert response.status_code == 400
    assert "there is no area with code" in unescape(response.content.decode())


def test_an_empty_lake_gets_a_friendly_page(partnership, login, settings, tmp_path):
    settings.CONFIG = dataclasses.replace(settings.CONFIG, data_dir=tmp_path)
    client = login(partnership["users"][Role.PARTNER])
    response = client.get("/dashboards/")
    assert response.status_code == 200
    assert "No data imported yet" in response.content.decode()


def test_analysts_also_see_where_located_events_cluster(client, partnership, login, lake):
    login(partnership["users"][Role.PARTNER])
    assert "hexagons" not in client.get("/dashboards/map/?source=force").content.decode()
    login(partnership["users"][Role.ANALYST])
    page = client.get("/dashboards/map/?source=force").content.decode()
    assert "Where located events cluster" in page and "/api/hexes?" in page
