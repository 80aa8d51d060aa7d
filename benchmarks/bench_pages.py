"""Rendering the signed-in home page (session, user, navigation, template) against the
smallest database-backed view (/health/), in-process with Django's test client."""

from benchmarks.harness import Result, median_seconds


def run() -> list[Result]:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    from observatory.web.accounts.demo import ensure_demo_accounts

    ensure_demo_accounts()
    from observatory.web.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="demo-admin"))

    def home():
        assert client.get("/").status_code == 200

    def health():
        assert client.get("/health/").status_code == 200

    return [
        Result(
            "GET / (signed in)",
            median_seconds(home, repeat=200, warmup=10),
            "GET /health/",
            median_seconds(health, repeat=200, warmup=10),
            target_ratio=10,
        )
    ]
