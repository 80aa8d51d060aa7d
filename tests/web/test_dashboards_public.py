"""The public dashboards under /public/: no login, local authorities and wards only, police.uk
and ED aggregates only, and no count from 1 to 7 anywhere a count is shown: table cells,
headline tiles, chart hover text and axis ticks."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.test_dashboards_partner import BIRMINGHAM, PAGES, Tables, as_number, read_csv

# Pages at several places and sources, so that small numbers are there to be hidden.
VIEWS = [
    f"{path}?{query}"
    for path in PAGES
    for query in ("source=police.uk", "source=ed", f"source=ed&area={BIRMINGHAM}")
] + [f"?source=police.uk&source=ed&area={BIRMINGHAM}&sex=F", "who/?source=ed&age_band=10-14"]
pytestmark = pytest.mark.usefixtures("lake")
SMALL = re.compile(r"(?<![\d.,])[1-7](?![\d.,])")


def figures(html: str) -> list[dict]:
    return [
        json.loads(found)
        for found in re.findall(
            r'<script id="figure-[^"]*" type="application/json">(.*?)</script>', html
        )
    ]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_without_logging_in(client, path):
    response = client.get(f"/public/{path}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "About the data" in html and "fewer than" in html
    for table in Tables(html).tables:
        assert table["csv"].startswith("/api/public/")


@pytest.mark.parametrize("view", VIEWS)
def test_no_count_from_1_to_7_is_shown(client, view):
    html = client.get(f"/public/{view}").content.decode()
    cells = [text for table in Tables(html).tables for text in table["counts"]]
    tiles = re.findall(r'<span class="tile-number" data-count>([^<]*)<', html)
    assert cells
    for text in cells + tiles:
        number = as_number(text)
        assert number is None or number == 0 or number >= 8, (view, text)
        assert number is None or number % 5 == 0, (view, text)
    for figure in figures(html):
        for trace in figure["data"]:
            counts = trace.get("z") if trace["type"] == "heatmap" else trace.get("y")
            for value in _flatten(counts):
                assert value is None or value == 0 or value >= 8, (view, trace["name"], value)
            for text in _flatten(trace.get("text")):
                assert not SMALL.search(re.sub(r"\(.*?\)|[\d.,]+ per 100,000", "", text)), text
        # Tick labels are figures on the page too: count axes step by tens.
        kinds = {trace["type"] for trace in figure["data"]}
        if kinds & {"scatter", "bar"}:
            axes = [figure["layout"][a] for a in ("yaxis", "yaxis2") if a in figure["layout"]]
        else:
            axes = [trace["colorbar"] for trace in figure["data"] if "colorbar" in trace]
        assert all(axis["dtick"] % 10 == 0 for axis in axes), figure["filename"]


def _flatten(values) -> list:
    if values is None:
        return []
    flat = []
    for value in values:
        flat.extend(_flatten(value) if isinstance(value, list) else [value])
    return flat


def test_hidden_counts_say_why(client):
    html = client.get(f"/public/time/?source=ed&area={BIRMINGHAM}").content.decode()
    assert "fewer than 8" in html


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("source=force", "the force source is for partners only"),
        ("area=E05900030", "public dashboards go down to wards, not small areas"),
    ],
)
def test_force_data_and_small_areas_are_refused(client, query, sentence):
    for path in PAGES:
        response = client.get(f"/public/{path}?{query}")
        assert response.status_code == 400
        assert sentence in response.content.decode()


def test_wards_do_not_link_further_down(client):
    html = client.get(f"/public/compare/?area={BIRMINGHAM}").content.decode()
    links = Tables(html).links
    assert not [link for link in links if "area=E05" in link or "area=E01" in link]
    html = client.get("/public/compare/").content.decode()
    into = [link for link in Tables(html).links if f"area={BIRMINGHAM}" in link]
    assert into and urlsplit(into[0]).path == "/public/compare/"


def test_public_tables_agree_with_their_public_csv(client):
    html = client.get(f"/public/compare/?source=ed&area={BIRMINGHAM}").content.decode()
    (table,) = Tables(html).tables
    rows = read_csv(client, table["csv"])
    assert parse_qs(urlsplit(table["csv"]).query)["source"] == ["ed"]
    assert [as_number(text) for text in table["counts"]] == [
        int(row["count"]) if row["count"] else None for row in rows
    ]


def test_measures_from_force_data_stay_off_public_pages(client):
    html = client.get("/public/").content.decode()
    assert "serious-violence measures" not in html
