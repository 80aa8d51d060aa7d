"""The programmes and returns API: 401 for anonymous callers, 403 for roles without
programmes, 404 for another organisation's programme or return whatever id is guessed, and
what a provider or a lead gets back."""

import pytest

from observatory.web.accounts.roles import Role
from observatory.web.programmes.models import QuarterlyReturn
from tests.web.test_returns_form import edit_url, make_programmes, valid_post


@pytest.fixture
def programmes(partnership, client):
    """Both programmes, each with a submitted return for 2025-26 Q2."""
    made = make_programmes(partnership)
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    for programme in made.values():
        assert client.post(edit_url(programme), valid_post("submit")).status_code == 302
    client.logout()
    return made


def endpoints(programme) -> list[str]:
    return [
        "/api/programmes/",
        f"/api/programmes/{programme.pk}/returns",
        f"/api/programmes/{programme.pk}/returns/2025-07-01",
        f"/api/programmes/{programme.pk}/returns/2025-26 Q2",
    ]


def test_the_openapi_description_lists_the_endpoints(client, db):
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {
        "/api/programmes/",
        "/api/programmes/{programme_id}/returns",
        "/api/programmes/{programme_id}/returns/{quarter}",
    } <= paths


@pytest.mark.parametrize("index", range(4))
def test_anonymous_callers_get_401(client, programmes, index):
    response = client.get(endpoints(programmes["own"])[index])
    assert response.status_code == 401 and "detail" in response.json()


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ANALYST, Role.COORDINATOR])
@pytest.mark.parametrize("index", range(4))
def test_roles_without_programmes_get_403(client, partnership, programmes, role, index):
    client.force_login(partnership["users"][role])
    assert client.get(endpoints(programmes["own"])[index]).status_code == 403


def test_a_provider_sees_only_their_own_programmes(client, partnership, programmes):
    client.force_login(partnership["users"][Role.PROVIDER])
    listed = client.get("/api/programmes/").json()["programmes"]
    assert [row["id"] for row in listed] == [programmes["own"].pk]
    assert listed[0]["provider"] == "Walsall Street Sport"
    assert listed[0]["local_authorities"] == ["E08000030"]


@pytest.mark.parametrize("index", [1, 2, 3])
def test_a_provider_guessing_another_programme_gets_404(client, partnership, programmes, index):
    client.force_login(partnership["users"][Role.PROVIDER])
    assert client.get(endpoints(programmes["other"])[index]).status_code == 404
    assert client.get(endpoints(programmes["own"])[index]).status_code == 200


def test_a_guessed_id_that_does_not_exist_is_404(client, partnership, programmes):
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    assert client.get("/api/programmes/999999/returns").status_code == 404
    assert client.get("/api/programmes/999999/returns/2025-07-01").status_code == 404


def test_a_return_with_its_figures_and_breakdowns(client, partnership, programmes):
    client.force_login(partnership["users"][Role.PROVIDER])
    own = programmes["own"]
    body = client.get(f"/api/programmes/{own.pk}/returns").json()
    assert body["programme"]["id"] == own.pk
    (found,) = body["returns"]
    assert found["quarter"] == "2025-26 Q2" and found["status"] == "submitted"
    assert found["participants"] == 12 and found["hours_delivered"] == "24.5"
    assert found["breakdowns"]["sex"] == {"female": 5, "male": 7, "other": 0, "not_known": 0}
    assert found["breakdowns"]["local_authority"]["E08000030"] == 12
    assert found["breakdowns"]["referral_source"]["school"] == 4
    one = client.get(f"/api/programmes/{own.pk}/returns/2025-26 Q2").json()
    assert one == found


def test_a_lead_sees_every_programme_and_return(client, partnership, programmes):
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    assert len(client.get("/api/programmes/").json()["programmes"]) == 2
    other = programmes["other"]
    assert client.get(f"/api/programmes/{other.pk}/returns/2025-07-01").status_code == 200


@pytest.mark.parametrize("quarter", ["2025-08-01", "2025-26 Q5", "soon", "2026-04-01"])
def test_a_quarter_that_is_not_a_return_is_404(client, partnership, programmes, quarter):
    client.force_login(partnership["users"][Role.PROVIDER])
    response = client.get(f"/api/programmes/{programmes['own'].pk}/returns/{quarter}")
    assert response.status_code == 404


def test_returns_listed_in_quarter_order(client, partnership, programmes):
    own = programmes["own"]
    QuarterlyReturn.objects.create(programme=own, quarter_start="2025-04-01")
    client.force_login(partnership["users"][Role.PROVIDER])
    listed = client.get(f"/api/programmes/{own.pk}/returns").json()["returns"]
    assert [row["quarter_start"] for row in listed] == ["2025-04-01", "2025-07-01"]
