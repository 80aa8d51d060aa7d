"""The public commissioning dashboard: no login, published programmes only, reach through
disclosure control, filters, CSV, nothing provider-internal, and the map with and without
boundaries in the lake."""

import csv
import dataclasses
import io

import pytest
from django.urls import reverse

from observatory.web.accounts.roles import Role
from observatory.web.programmes import reach
from observatory.web.programmes.models import Approach, Programme, QuarterlyReturn, ReturnComment
from tests.web.test_programmes_reach import Q1, make_programme, make_return

S = QuarterlyReturn.Status
URL = "/public/programmes/"


@pytest.fixture
def published(partnership):
    """A sport programme that reached 3 people aged 15-17 and 40 over 24, a health programme
    that reached 50 young people, and a planned programme (never published)."""
    admin = partnership["users"][Role.VRP_ADMIN]
    orgs = partnership["organisations"]
    sport = make_programme(orgs["charity"], admin)
    health = make_programme(
        orgs["other_charity"],
        admin,
        name="Hospital navigators",
        workstream=Programme.Workstream.HEALTH,
        approach=Approach.objects.get(name="A&E navigators"),
    )
    make_programme(orgs["other_charity"], admin, name="Planned mentoring", status="planned")
    small = make_return(
        sport,
        Q1,
        S.ACCEPTED,
        {"15-17": 3, "25+": 40},
        trained=3,
        case_study="SECRET CASE STUDY",
        reach_explanation="SECRET EXPLANATION",
    )
    ReturnComment.objects.create(
        quarterly_return=small,
        author=admin,
        author_name="admin",
        status_after=S.ACCEPTED,
        text="SECRET COMMENT",
    )
    make_return(health, Q1, S.ACCEPTED, {"18-24": 50}, trained=20)
    return {"sport": sport, "health": health}


def rows_of(response):
    return {row[0].text: [cell.text for cell in row] for row in response.context["table"].rows}


def test_needs_no_login(client, published):
    response = client.get(URL, {"year": "2025-26"})
    assert response.status_code == 200
    assert reverse("public-programmes") == URL
    assert client.get(reverse("public-programmes-csv")).status_code == 200


def test_small_counts_are_never_shown(client, published):
    response = client.get(URL, {"year": "2025-26"})
    sport = rows_of(response)["Street sport nights"]
    young, _adults, everyone, trained = sport[-4:]
    assert young == "fewer than 8"
    assert trained == "fewer than 8"
    assert everyone != "43"  # rounded to the nearest 5
    page = response.content.decode()
    assert reach.CAVEAT in page
    assert "fewer than 8" in page


def test_secondary_suppression_protects_the_small_cell(client, published):
    """With the young people's total published, the sport programme's young count must not
    be worked out by subtraction: another cell in its row or column is hidden too."""
    response = client.get(URL, {"year": "2025-26"})
    sport = rows_of(response)["Street sport nights"]
    health = rows_of(response)["Hospital navigators"]
    tiles = {tile["title"]: tile["figure"] for tile in response.context["tiles"]}
    column = [health[-4], tiles["Young people reached (24 and under)"]]
    row = [sport[-3], sport[-2]]
    hidden = {"fewer than 8", "hidden to protect another cell"}
    assert hidden & set(column) and hidden & set(row)


def test_only_active_and_ended_programmes_are_published(client, published):
    names = rows_of(client.get(URL, {"year": "2025-26"}))
    assert set(names) == {"Street sport nights", "Hospital navigators"}


def test_filters(client, published, partnership):
    names = rows_of(client.get(URL, {"year": "2025-26", "workstream": "health"}))
    assert set(names) == {"Hospital navigators"}
    approach = Approach.objects.get(name="Sport").pk
    names = rows_of(client.get(URL, {"year": "2025-26", "approach": approach}))
    assert set(names) == {"Street sport nights"}
    assert rows_of(client.get(URL, {"year": "2024-25"})) != {}  # both run from January 2025


def test_a_bad_filter_is_explained(client, published):
    response = client.get(URL, {"year": "1900-01"})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()


def test_no_provider_internal_data(client, published):
    pages = [
        client.get(URL, {"year": "2025-26"}).content.decode(),
        client.get(reverse("public-programmes-csv"), {"year": "2025-26"}).content.decode(),
    ]
    for text in pages:
        for secret in ("SECRET CASE STUDY", "SECRET EXPLANATION", "SECRET COMMENT"):
            assert secret not in text
        assert "Completeness" not in text


def test_csv_is_the_table_with_the_caveat(client, published):
    response = client.get(reverse("public-programmes-csv"), {"year": "2025-26"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert reach.CAVEAT in [row[0] for row in rows if row]
    sport = next(row for row in rows if row and row[0] == "Street sport nights")
    assert sport[-4] == "fewer than 8"
    assert "3" not in sport[-4:]


def test_map_table_without_boundaries(client, published, settings, tmp_path):
    """An empty lake: the page still works, with the numbers table and a note."""
    settings.CONFIG = dataclasses.replace(settings.CONFIG, data_dir=tmp_path)
    response = client.get(URL, {"year": "2025-26"})
    assert response.status_code == 200
    assert response.context["map"]["figure"] is None
    assert "The map is not available yet" in response.content.decode()
    walsall = next(row for row in response.context["map"]["table"].rows if row[0].text == "Walsall")
    assert walsall[1].text == "2"


def test_map_with_boundaries(client, published, lake):
    response = client.get(URL, {"year": "2025-26"})
    figure = response.context["map"]["figure"]
    assert figure["geojson"].endswith("/public/boundaries")
    assert client.get(figure["geojson"]).status_code == 200


def test_no_programme_matches(client, published):
    response = client.get(URL, {"year": "2025-26", "workstream": "vawg"})
    assert response.status_code == 200
    assert "No programme matches these filters" in response.content.decode()
