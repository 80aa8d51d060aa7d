"""Who may open what: login everywhere but the public pages, sections by role, organisation
pages only within scope, the admin only for VRP administrators."""

import pytest
from django.urls import reverse

from observatory.web.accounts.roles import Role, may
from observatory.web.shell.sections import SECTIONS

PUBLIC_PAGES = ["/", "/accounts/login/", "/health/", "/public/programmes/", "/training/"]
PRIVATE_PAGES = [
    "/accounts/me/",
    "/accounts/password/",
    "/organisations/",
    "/organisations/1/",
    *[reverse(section.landing) for section in SECTIONS],
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_open_without_login(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", PRIVATE_PAGES)
def test_every_other_page_asks_for_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.django_db
def test_admin_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_sections_open_exactly_for_the_roles_that_may_see_them(partnership, login, role):
    user = partnership["users"][role]
    client = login(user)
    home = client.get("/").content.decode()
    for section in SECTIONS:
        allowed = may(user, section.capability)
        landing = reverse(section.landing)
        assert client.get(landing).status_code == (200 if allowed else 403)
        assert (f'href="{landing}"' in home) == allowed, section.slug


def test_forbidden_page_explains_itself(partnership, login):
    response = login(partnership["users"][Role.PROVIDER]).get("/data/")
    assert response.status_code == 403
    assert "not open to you" in response.content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.VRP_ADMIN])
def test_only_vrp_admins_open_the_admin(partnership, login, role):
    client = login(partnership["users"][role])
    for path in ["/admin/", "/admin/accounts/user/", "/admin/accounts/organisation/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/admin/login/" in response["Location"]
    assert 'href="/admin/"' not in client.get("/").content.decode()


def test_vrp_admin_opens_the_admin(partnership, login):
    client = login(partnership["users"][Role.VRP_ADMIN])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_provider_sees_only_its_own_organisation(partnership, login):
    client = login(partnership["users"][Role.PROVIDER])
    own = partnership["organisations"]["charity"]
    listing = client.get("/organisations/").content.decode()
    assert own.name in listing
    for key in ("vrp", "council", "other_charity"):
        assert partnership["organisations"][key].name not in listing
    assert client.get(f"/organisations/{own.pk}/").status_code == 200


def test_provider_cannot_open_other_organisations_by_guessing_ids(partnership, login):
    client = login(partnership["users"][Role.PROVIDER])
    own = partnership["organisations"]["charity"].pk
    highest = max(org.pk for org in partnership["organisations"].values())
    for pk in range(0, highest + 5):
        response = client.get(f"/organisations/{pk}/")
        assert response.status_code == (200 if pk == own else 404), pk


def test_other_organisation_pages_do_not_leak_member_names(partnership, login):
    client = login(partnership["users"][Role.PROVIDER])
    other = partnership["organisations"]["other_charity"]
    response = client.get(f"/organisations/{other.pk}/")
    assert b"other-provider" not in response.content
    assert other.name.encode() not in response.content


def test_analyst_sees_every_organisation(partnership, login):
    client = login(partnership["users"][Role.ANALYST])
    for organisation in partnership["organisations"].values():
        assert client.get(f"/organisations/{organisation.pk}/").status_code == 200


def test_inactive_users_are_logged_out(partnership, client):
    user = partnership["users"][Role.PARTNER]
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/dashboards/").status_code == 302
