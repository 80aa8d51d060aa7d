"""Starting Django from the command line, and turning its failures into plain sentences.

The CLI imports this only for commands that need the web app or its database, so that
`observatory --help` and the data commands stay fast and Django-free.
"""

import io
import os

from observatory.config import mask_password
from observatory.errors import ObservatoryError


def setup() -> None:
    """Configure Django from the environment (raises ObservatoryError on bad settings)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.web.settings")
    import django

    django.setup()


def check_database() -> None:
    """Connect once, so an unreachable or misconfigured database is one clear line."""
    from django.conf import settings
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no reason given"
        raise ObservatoryError(
            f"cannot connect to the database {mask_password(settings.CONFIG.database_url)} "
            f"({reason}): check DATABASE_URL, and that the server is running and reachable"
        ) from None


def unapplied_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def migrate(verbose: bool = True) -> None:
    """Bring the database schema up to date (idempotent)."""
    from django.core.management import call_command

    check_database()
    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)


def collect_static() -> None:
    """Copy, hash and compress static files into the data dir for the web server to serve."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())


def ready_to_serve() -> None:
    """Refuse to start a server over a database that is unreachable or not migrated."""
    check_database()
    pending = unapplied_migrations()
    if pending:
        raise ObservatoryError(
            f"the database is not set up ({len(pending)} migrations to apply): "
            "run `observatory migrate` first"
        )
    collect_static()
