"""Who may do what with returns, at every view and verb: anonymous users are sent to log
in; partners, analysts and coordinators get 403; a provider guessing another
organisation's programme gets 404 everywhere and changes nothing; only leads query and
accept. The list shows a provider their own programmes' quarters only."""

import datetime

import pytest
from django.urls import reverse

from observatory.web.accounts.roles import Role
from observatory.web.programmes.models import QuarterlyReturn, ReturnComment
from observatory.web.programmes.schedule import last_ended_quarter
from tests.web.test_returns_form import edit_url, make_programmes, stored, valid_post

NO_PROGRAMMES = [Role.PARTNER, Role.ANALYST, Role.COORDINATOR]
VERBS = [
    valid_post("save_draft"),
    valid_post("submit"),
    {"action": "comment", "message": "Hello"},
    {"action": "query", "message": "Why?"},
    {"action": "accept", "message": ""},
]


@pytest.fixture
def programmes(partnership, client):
    """Both programmes, each with a submitted return for 2025-26 Q2."""
    made = make_programmes(partnership)
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    for programme in made.values():
        assert client.post(edit_url(programme), valid_post("submit")).status_code == 302
    client.logout()
    return made


def pages(programmes) -> list[str]:
    return [
        reverse("returns"),
        edit_url(programmes["own"]),
        edit_url(programmes["own"], "2025-04-01"),
    ]


def test_anonymous_users_are_sent_to_log_in(client, programmes):
    for url in pages(programmes):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for verb in VERBS:
        response = client.post(edit_url(programmes["own"]), verb)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert stored(programmes["own"]).status == QuarterlyReturn.Status.SUBMITTED


@pytest.mark.parametrize("role", NO_PROGRAMMES)
def test_roles_without_programmes_get_403_everywhere(client, partnership, programmes, role):
    client.force_login(partnership["users"][role])
    for url in pages(programmes):
        assert client.get(url).status_code == 403
    for programme in programmes.values():
        for verb in VERBS:
            assert client.post(edit_url(programme), verb).status_code == 403
    assert not ReturnComment.objects.exclude(author=partnership["users"][Role.VRP_ADMIN]).exists()


@pytest.mark.parametrize("quarter", ["2025-07-01", "2025-04-01"])
def test_a_provider_guessing_another_programme_gets_404_at_every_verb(
    client, partnership, programmes, quarter
):
    client.force_login(partnership["users"][Role.PROVIDER])
    other = programmes["other"]
    assert client.get(edit_url(other, quarter)).status_code == 404
    for verb in VERBS:
        assert client.post(edit_url(other, quarter), verb).status_code == 404
    assert stored(other).status == QuarterlyReturn.Status.SUBMITTED
    assert (
        not QuarterlyReturn.objects.filter(programme=other, quarter_start=quarter)
        .exclude(quarter_start="2025-07-01")
        .exists()
    )
    assert ReturnComment.objects.filter(quarterly_return__programme=other).count() == 1


def test_a_provider_guessing_an_id_that_does_not_exist_gets_404(client, partnership, programmes):
    client.force_login(partnership["users"][Role.PROVIDER])
    assert client.get(reverse("returns-edit", args=[999999, "2025-07-01"])).status_code == 404


def test_the_list_of_another_programme_shows_nothing_of_it(client, partnership, programmes):
    client.force_login(partnership["users"][Role.PROVIDER])
    other = programmes["other"]
    html = client.get(reverse("returns"), {"programme": other.pk}).content.decode()
    assert "Hospital navigators" not in html
    assert "Street sport nights" in html  # an unknown programme filter is ignored


@pytest.mark.parametrize("action", ["query", "accept"])
def test_a_provider_cannot_query_or_accept_their_own_return(
    client, partnership, programmes, action
):
    client.force_login(partnership["users"][Role.PROVIDER])
    response = client.post(edit_url(programmes["own"]), {"action": action, "message": "Fine"})
    assert response.status_code == 403
    assert stored(programmes["own"]).status == QuarterlyReturn.Status.SUBMITTED


def test_a_provider_sees_their_quarters_and_statuses(client, partnership, programmes):
    client.force_login(partnership["users"][Role.PROVIDER])
    response = client.get(reverse("returns"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Street sport nights" in html and "Hospital navigators" not in html
    # The programme ran April 2025 to March 2026 and every quarter of it has ended.
    assert html.count("<tr>") == 1 + 4
    assert "Submitted" in html and html.count("Not started") >= 3
    assert "Overdue" in html  # its other quarters are long past due
    assert "Provider</th>" not in html


def test_a_lead_sees_every_programme_and_filters_by_status(client, partnership, programmes):
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    html = client.get(reverse("returns")).content.decode()
    assert "Street sport nights" in html and "Hospital navigators" in html
    html = client.get(reverse("returns"), {"status": "submitted"}).content.decode()
    assert html.count("<tr>") == 1 + 2
    own = programmes["own"]
    html = client.get(reverse("returns"), {"programme": own.pk}).content.decode()
    assert "Hospital navigators" not in html and html.count("<tr>") == 1 + 4


def test_the_list_stops_at_the_last_ended_quarter():
    assert last_ended_quarter(datetime.date(2025, 8, 15)).end == datetime.date(2025, 6, 30)
    assert last_ended_quarter(datetime.date(2025, 7, 1)).end == datetime.date(2025, 6, 30)
