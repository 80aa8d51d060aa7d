"""The JSON API: who may call what, what the public gets, and that a CSV is the JSON's rows."""

from __future__ import annotations

import csv
import io

import pytest

from observatory.web.accounts.roles import Role

PUBLIC_PANELS = ["areas", "trend", "profile", "breakdown/age_band", "measures"]


@pytest.fixture
def data_dir(lake):
    return lake


def test_the_openapi_description_lists_every_endpoint(client, db):
    description = client.get("/api/openapi.json").json()
    paths = set(description["paths"])
    for panel in ["areas", "trend", "profile", "breakdown/{by}", "measures", "boundaries"]:
        assert f"/api/{panel}" in paths and f"/api/public/{panel}" in paths
    assert "/api/premises" in paths and "/api/public/premises" not in paths


@pytest.mark.parametrize("panel", [*PUBLIC_PANELS, "premises"])
def test_partner_endpoints_need_a_partner(client, partnership, login, data_dir, panel):
    assert client.get(f"/api/{panel}").status_code == 401
    login(partnership["users"][Role.PROVIDER])
    assert client.get(f"/api/{panel}").status_code == 403
    login(partnership["users"][Role.PARTNER])
    assert client.get(f"/api/{panel}").status_code == 200


@pytest.mark.parametrize("panel", PUBLIC_PANELS)
def test_public_endpoints_show_no_small_number(client, db, data_dir, panel):
    response = client.get(f"/api/public/{panel}?source=police.uk&source=ed")
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert rows
    for row in rows:
        for column, value in row.items():
            if column in {"count", "rolling_12"} and value is not None:
                assert value == 0 or value >= 8, (column, row)
                assert value % 5 == 0


def test_public_endpoints_refuse_force_data_and_small_areas(client, db, data_dir):
    response = client.get("/api/public/areas?source=force")
    assert response.status_code == 400 and "partners only" in response.json()["detail"]
    ward = client.get("/api/public/areas").json()["rows"][0]["la_code"]
    wards = client.get(f"/api/public/areas?area={ward}").json()["rows"]
    small_area = wards[0]["ward_code"]
    response = client.get(f"/api/public/areas?area={small_area}")
    assert response.status_code == 400 and "small areas" in response.json()["detail"]


def test_a_csv_download_is_the_same_rows(client, partnership, login, data_dir):
    login(partnership["users"][Role.PARTNER])
    query = "source=force&category=Violence+with+injury"
    rows = client.get(f"/api/areas?{query}").json()["rows"]
    response = client.get(f"/api/areas?{query}&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    downloaded = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["la_code"] for r in downloaded] == [r["la_code"] or "" for r in rows]
    assert [int(r["count"]) for r in downloaded] == [r["count"] for r in rows]


def test_a_bad_filter_is_a_sentence(client, partnership, login, data_dir):
    login(partnership["users"][Role.PARTNER])
    response = client.get("/api/areas?from=2025-13")
    assert response.status_code == 400
    assert response.json()["detail"] == "from '2025-13' is not a month written YYYY-MM"


def test_boundaries_are_geojson_of_the_level_below(client, db, data_dir):
    authorities = client.get("/api/public/boundaries").json()
    assert authorities["type"] == "FeatureCollection"
    assert len(authorities["features"]) == 7
    birmingham = client.get("/api/public/boundaries?area=E08000025").json()
    assert birmingham["features"] and all(
        f["properties"]["code"].startswith("E05") for f in birmingham["features"]
    )


def test_the_density_of_located_events_is_for_analysts_only(client, partnership, login, data_dir):
    login(partnership["users"][Role.PARTNER])  # a partner sees the region's aggregates…
    assert client.get("/api/areas").status_code == 200
    assert client.get("/api/hexes").status_code == 403  # …but not finer than an area
    login(partnership["users"][Role.ANALYST])
    hexes = client.get("/api/hexes?source=force&size=1000").json()["rows"]
    total = client.get("/api/areas?source=force&level=region").json()["rows"][-1]["count"]
    assert sum(h["count"] for h in hexes) == total
    assert client.get("/api/public/hexes").status_code == 404
