"""The return's workflow on its page: draft → submitted → queried → (answer) → submitted →
accepted, each change in the thread; and the refused moves: a submitted or accepted return
cannot be edited, a provider cannot query or accept, a query needs a message, only a
submitted return is queried or accepted."""

import pytest

from observatory.web.accounts.roles import Role
from observatory.web.programmes.models import QuarterlyReturn, ReturnComment
from tests.web.test_returns_form import edit_url, make_programmes, stored, valid_post

Status = QuarterlyReturn.Status


@pytest.fixture
def programmes(partnership):
    return make_programmes(partnership)


@pytest.fixture
def users(partnership):
    return partnership["users"]


def as_user(client, user):
    client.force_login(user)
    return client


def submitted(client, users, programme):
    as_user(client, users[Role.PROVIDER]).post(edit_url(programme), valid_post("submit"))
    assert stored(programme).status == Status.SUBMITTED
    return stored(programme)


def test_the_whole_workflow_with_its_thread(client, users, programmes):
    own = programmes["own"]
    submitted(client, users, own)
    lead = as_user(client, users[Role.VRP_ADMIN])
    page = lead.get(edit_url(own)).content.decode()
    assert 'value="query"' in page and 'value="accept"' in page
    response = lead.post(
        edit_url(own), {"action": "query", "message": "Sessions look low for 12 people?"}
    )
    assert response.status_code == 302 and stored(own).status == Status.QUERIED

    provider = as_user(client, users[Role.PROVIDER])
    page = provider.get(edit_url(own)).content.decode()
    assert "Sessions look low for 12 people?" in page and "queried the return" in page
    assert 'name="participants_new"' in page and 'value="accept"' not in page
    provider.post(edit_url(own), {"action": "comment", "message": "Two sessions were doubled."})
    assert stored(own).status == Status.QUERIED
    provider.post(edit_url(own), valid_post("submit", sessions_delivered="14"))
    assert stored(own).status == Status.SUBMITTED and stored(own).sessions_delivered == 14

    lead = as_user(client, users[Role.VRP_ADMIN])
    assert lead.post(edit_url(own), {"action": "accept", "message": ""}).status_code == 302
    accepted = stored(own)
    assert accepted.status == Status.ACCEPTED and accepted.accepted_by == users[Role.VRP_ADMIN]

    thread = list(ReturnComment.objects.filter(quarterly_return=accepted))
    assert [entry.status_after for entry in thread] == [
        Status.SUBMITTED,
        Status.QUERIED,
        Status.QUERIED,
        Status.SUBMITTED,
        Status.ACCEPTED,
    ]
    page = as_user(client, users[Role.PROVIDER]).get(edit_url(own)).content.decode()
    for what in ["submitted the return", "queried the return", "wrote", "accepted the return"]:
        assert what in page
    assert "Two sessions were doubled." in page and 'name="participants_new"' not in page


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ACCEPTED])
@pytest.mark.parametrize("action", ["save_draft", "submit"])
def test_a_submitted_or_accepted_return_cannot_be_edited(client, users, programmes, status, action):
    own = programmes["own"]
    submitted(client, users, own)
    if status == Status.ACCEPTED:
        as_user(client, users[Role.VRP_ADMIN]).post(edit_url(own), {"action": "accept"})
    response = as_user(client, users[Role.PROVIDER]).post(
        edit_url(own), valid_post(action, participants_new="99")
    )
    assert response.status_code == 409
    assert "can no longer be changed" in response.content.decode()
    assert stored(own).participants_new == 10 and stored(own).status == status


@pytest.mark.parametrize("action", ["query", "accept"])
def test_a_provider_cannot_query_or_accept(client, users, programmes, action):
    own = programmes["own"]
    submitted(client, users, own)
    response = client.post(edit_url(own), {"action": action, "message": "Looks fine to me"})
    assert response.status_code == 403
    assert stored(own).status == Status.SUBMITTED


def test_a_query_needs_a_message(client, users, programmes):
    own = programmes["own"]
    submitted(client, users, own)
    response = as_user(client, users[Role.VRP_ADMIN]).post(
        edit_url(own), {"action": "query", "message": "  "}
    )
    assert response.status_code == 409
    assert "Say what needs checking" in response.content.decode()
    assert stored(own).status == Status.SUBMITTED


@pytest.mark.parametrize("action", ["query", "accept"])
def test_only_a_submitted_return_is_queried_or_accepted(client, users, programmes, action):
    own = programmes["own"]
    as_user(client, users[Role.PROVIDER]).post(edit_url(own), valid_post())
    response = as_user(client, users[Role.VRP_ADMIN]).post(
        edit_url(own), {"action": action, "message": "Why?"}
    )
    assert response.status_code == 409 and stored(own).status == Status.DRAFT


def test_a_message_on_a_return_not_started_asks_for_a_draft(client, users, programmes):
    response = as_user(client, users[Role.PROVIDER]).post(
        edit_url(programmes["own"]), {"action": "comment", "message": "Hello"}
    )
    assert response.status_code == 409 and "Save a draft" in response.content.decode()
    assert not QuarterlyReturn.objects.exists()


def test_an_empty_message_is_refused_and_a_typed_query_is_kept(client, users, programmes):
    own = programmes["own"]
    as_user(client, users[Role.PROVIDER]).post(edit_url(own), valid_post())
    response = client.post(edit_url(own), {"action": "comment", "message": ""})
    assert response.status_code == 409 and "Write a message first." in response.content.decode()
    too_long = "x" * 5001
    response = client.post(edit_url(own), {"action": "comment", "message": too_long})
    assert response.status_code == 400 and too_long in response.content.decode()
    assert not ReturnComment.objects.exists()


def test_an_unknown_button_changes_nothing(client, users, programmes):
    own = programmes["own"]
    response = as_user(client, users[Role.PROVIDER]).post(
        edit_url(own), valid_post("delete_everything")
    )
    assert response.status_code == 400 and not QuarterlyReturn.objects.exists()


def test_a_lead_may_fill_in_a_return_for_a_provider(client, users, programmes):
    own = programmes["own"]
    response = as_user(client, users[Role.VRP_ADMIN]).post(edit_url(own), valid_post("submit"))
    assert response.status_code == 302 and stored(own).status == Status.SUBMITTED
