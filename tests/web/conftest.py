"""Fixtures for web tests: a small partnership with one user per role."""

import dataclasses

import pytest

from observatory.demo.generate import generate
from observatory.lake.pipelines import import_drop_folder
from observatory.lake.store import Lake
from observatory.lake.venues import match_new_descriptions
from observatory.sources.base import Context
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


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory):
    """A data dir whose lake holds a small demo region (3 months to 2025-12), generated and
    imported through the real pipelines and venue-matched: one for all the web tests."""
    root = tmp_path_factory.mktemp("web-demo")
    generate(root / "demo", seed=5, months=3, end_month="2025-12", scale=0.3)
    lake = Lake.in_data_dir(root / "data")
    list(import_drop_folder(root / "demo", lake, Context("web test key"), who="tester"))
    match_new_descriptions(lake, "tester")
    return root / "data"


@pytest.fixture
def lake(settings, demo_data_dir):
    """The web app reads the demo lake (the application database stays the test one)."""
    settings.CONFIG = dataclasses.replace(settings.CONFIG, data_dir=demo_data_dir)
    return demo_data_dir
