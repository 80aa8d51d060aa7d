"""Test-suite wiring: which database, the throw-away PostgreSQL, Chromium, and CI strictness.

- `pytest` runs everything on SQLite; `pytest --db=postgres -m database` runs the tests that
  touch the application database again on a throw-away PostgreSQL cluster.
- A test that needs PostgreSQL or Chromium skips when it is missing on a developer's machine,
  and fails when CI=true: CI must never pass by skipping.
"""

import os
import secrets

import pytest

from tests.support.chromium import chromium_path
from tests.support.postgres import PostgresUnavailable, ThrowawayCluster

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "database_url", "client"}


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="application database for tests marked `database` (default: sqlite)",
    )


def pytest_configure(config):
    """Tests render templates without running collectstatic first, so they use the plain
    storage instead of the hashed manifest `observatory serve` builds; and they hash
    passwords with a fast hasher, since they create many users (never do this in production).
    """
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(config, items):
    """Mark every test that touches the application database, so CI can rerun them on
    PostgreSQL with `-m database`."""
    for item in items:
        uses_database = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        if uses_database or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.database)


def unavailable(reason: str):
    """Skip locally, fail in CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing dependency fails the run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_cluster(request):
    try:
        cluster = ThrowawayCluster().start()
    except PostgresUnavailable as error:
        unavailable(str(error))
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def using_postgres(request) -> bool:
    return request.config.getoption("--db") == "postgres"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """Point Django's test database at the throw-away cluster when --db=postgres."""
    if request.config.getoption("--db") != "postgres":
        return
    from django.conf import settings
    from django.db import connections

    from observatory.web.databases import database_settings

    cluster = request.getfixturevalue("postgres_cluster")
    # Update in place: Django has already filled in defaults (ATOMIC_REQUESTS, TEST…) there.
    settings.DATABASES["default"].update(database_settings(cluster.url("observatory")))
    # Forget the SQLite connection object made while Django started, so the next use builds
    # a PostgreSQL one from the settings above.
    connections.close_all()
    del connections["default"]


@pytest.fixture
def database_url(request, using_postgres):
    """A DATABASE_URL for a program the test starts: None means the embedded SQLite in the
    program's own data dir; under --db=postgres, a fresh database on the cluster."""
    if not using_postgres:
        yield None
        return
    cluster = request.getfixturevalue("postgres_cluster")
    name = f"cli_{secrets.token_hex(6)}"
    url = cluster.create_database(name)
    yield url
    cluster.drop_database(name)


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        unavailable("Chromium not found: install it with `apt-get install chromium`")
    return path
