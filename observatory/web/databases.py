"""DATABASE_URL -> Django's DATABASES entry, with the options each engine needs."""

import dj_database_url


def database_settings(url: str) -> dict:
    """Django settings for the database at `url` (SQLite or PostgreSQL)."""
    settings = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers carry on while the web server or an import writes; IMMEDIATE
        # transactions avoid "database is locked" errors on upgrade from read to write.
        settings["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        settings["CONN_MAX_AGE"] = 0
    else:
        # Fail in seconds, not minutes, when the server is unreachable.
        settings["OPTIONS"] = {"connect_timeout": 5}
    return settings
