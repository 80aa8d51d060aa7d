"""Fixtures for web tests: a small partnership with one user per role."""

import pytest

from observatory.web.accounts.models import LocalAuthority, Organisation
from observatory.web.accounts.roles import Role
from observatory.web.accounts.services import create_user

PASSWORD = "a-long-Test-passphrase-42"


@pytest.fixture
def partnership(db):
    """Three organisations and one user per role; returns a namespace-like dict."""
    birmingham = LocalAuthority.objects.get(code="E08000025")
    walsall = LocalAuthority.objects.get(code="E08000030")
    vrp = Organisation.objects.create(name="VRP core team", kind=Organisation.Kind.VRP_CORE)
    council = Organisation.objects.create(
        name="Birmingham City Council",
        kind=Organisation.Kind.LOCAL_AUTHORITY,
        local_authority=birmingham,
    )
    charity = Organisation.objects.create(
        name="Walsall Street Sport", kind=Organisation.Kind.VOLUNTARY, local_authority=walsall
    )
    other_charity = Organisation.objects.create(
        name="Coventry Mentors", kind=Organisation.Kind.VOLUNTARY
    )
    users = {
        Role.VRP_ADMIN: create_user("admin", Role.VRP_ADMIN, PASSWORD, organisation=vrp),
        Role.ANALYST: create_user("analyst", Role.ANALYST, PASSWORD, organisation=vrp),
        Role.PARTNER: create_user("partner", Role.PARTNER, PASSWORD, organisation=council),
        Role.PROVIDER: create_user("provider", Role.PROVIDER, PASSWORD, organisation=charity),
        Role.COORDINATOR: create_user("coordinator", Role.COORDINATOR, PASSWORD, organisation=vrp),
    }
    create_user("other-provider", Role.PROVIDER, PASSWORD, organisation=other_charity)
    return {
        "users": users,
        "organisations": {
            "vrp": vrp,
            "council": council,
            "charity": charity,
            "other_charity": other_charity,
        },
    }


@pytest.fixture
def login(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in
