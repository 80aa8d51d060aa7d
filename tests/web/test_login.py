"""Login, logout and password change through the real forms (with CSRF checks on)."""

import pytest
from django.test import Client

from observatory.web.accounts.roles import Role
from tests.web.conftest import PASSWORD


@pytest.fixture
def browser_client():
    return Client(enforce_csrf_checks=True)


def csrf_post(client, path, data):
    client.get(path)
    return client.post(path, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_login_then_logout(partnership, browser_client):
    response = csrf_post(
        browser_client, "/accounts/login/", {"username": "partner", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    home = browser_client.get("/").content.decode()
    assert "Partner (aggregates for their area)" in home
    assert "Birmingham City Council" in home
    response = csrf_post(browser_client, "/accounts/logout/", {})
    assert response.status_code == 302
    assert browser_client.get("/dashboards/").status_code == 302


def test_wrong_password_is_refused_with_a_message(partnership, browser_client):
    response = csrf_post(
        browser_client, "/accounts/login/", {"username": "partner", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_login_returns_to_the_page_asked_for(partnership, browser_client):
    browser_client.get("/accounts/login/?next=/dashboards/")
    response = browser_client.post(
        "/accounts/login/?next=/dashboards/",
        {
            "username": "analyst",
            "password": PASSWORD,
            "next": "/dashboards/",
            "csrfmiddlewaretoken": browser_client.cookies["csrftoken"].value,
        },
    )
    assert response["Location"] == "/dashboards/"


def test_password_change(partnership, browser_client):
    csrf_post(browser_client, "/accounts/login/", {"username": "provider", "password": PASSWORD})
    new = "another-Long-passphrase-77"
    response = csrf_post(
        browser_client,
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user = partnership["users"][Role.PROVIDER]
    user.refresh_from_db()
    assert user.check_password(new)


def test_logout_is_post_only(partnership, login):
    client = login(partnership["users"][Role.PARTNER])
    assert client.get("/accounts/logout/").status_code == 405
