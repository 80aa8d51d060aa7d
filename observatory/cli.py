"""The `observatory` command: one entry point for the web app, the data and the demo.

Every command is a thin shell over a service function. A problem the user can fix is an
ObservatoryError and prints as one line, `observatory: error: …`, with a non-zero exit;
`--debug` shows the full traceback of anything unexpected.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from observatory import __version__
from observatory.errors import ObservatoryError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

host_option = click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
)
port_option = click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)


@click.group(context_settings=CONTEXT)
@click.option("--debug", is_flag=True, help="Verbose logging and full tracebacks on errors.")
@click.version_option(__version__, prog_name="observatory")
def app(debug: bool) -> None:
    """Observatory: the information system of a Violence Reduction Partnership."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)


def _web():
    """Start Django and return the runtime helpers (imported late to keep --help fast)."""
    from observatory.web import runtime

    runtime.setup()
    return runtime


def _serve(host: str, port: int) -> None:
    from observatory.web.server import serve

    serve(host, port, announce=click.echo)


@app.command()
@host_option
@port_option
def serve(host: str, port: int) -> None:
    """Serve the web app (on http://127.0.0.1:8000/ unless told otherwise)."""
    _web().ready_to_serve()
    _serve(host, port)


@app.command()
def migrate() -> None:
    """Create or update the application database's tables."""
    _web().migrate()


@app.command()
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["vrp_admin", "analyst", "partner", "provider", "coordinator"]),
    help="What the user may do.",
)
@click.option("--organisation", help="Name of the user's organisation (all roles but vrp_admin).")
@click.option("--email", default="", help="E-mail address.")
@click.option("--name", default="", help="Full name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def createuser(username, role, organisation, email, name, password_stdin) -> None:
    """Create a user.

    Asks for the password at a terminal; with --password-stdin reads it; otherwise generates
    one and prints it.
    """
    _web().check_database()
    from observatory.web.accounts import services

    owner = services.find_organisation(organisation) if organisation else None
    generated = False
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password, generated = services.generate_password(), True
    user = services.create_user(
        username, role, password, organisation=owner, email=email, full_name=name
    )
    where = f" at {user.organisation.name}" if user.organisation else ""
    click.echo(f"Created {user.username}: {user.get_role_display()}{where}.")
    if generated:
        click.echo(f"Password: {password}")


@app.group(context_settings=CONTEXT)
def organisations() -> None:
    """Add and list partner organisations."""


@organisations.command("add")
@click.argument("name")
@click.option(
    "--kind",
    required=True,
    type=click.Choice(
        [
            "police",
            "local_authority",
            "health",
            "education",
            "probation",
            "youth_justice",
            "voluntary",
            "vrp_core",
        ]
    ),
    help="What sort of organisation it is.",
)
@click.option("--local-authority", help="ONS code or name of its area; omit for region-wide.")
def organisations_add(name, kind, local_authority) -> None:
    """Add a partner organisation."""
    _web().check_database()
    from observatory.web.accounts import services

    organisation = services.create_organisation(name, kind, local_authority)
    click.echo(
        f"Added {organisation.name} ({organisation.get_kind_display()}, {organisation.area_name})."
    )


@organisations.command("list")
def organisations_list() -> None:
    """List the partner organisations, tab-separated: name, kind, area."""
    _web().check_database()
    from observatory.web.accounts.models import Organisation

    organisations = Organisation.objects.select_related("local_authority")
    if not organisations:
        click.echo("No organisations yet: add one with `observatory organisations add`.")
    for organisation in organisations:
        click.echo(
            f"{organisation.name}\t{organisation.get_kind_display()}\t{organisation.area_name}"
        )


@app.group(context_settings=CONTEXT)
def demo() -> None:
    """The synthetic demo partnership."""


def _last_complete_month() -> str:
    import datetime

    today = datetime.date.today()
    previous = today.replace(day=1) - datetime.timedelta(days=1)
    return previous.strftime("%Y-%m")


@demo.command("generate")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Folder to write.")
@click.option("--seed", default=42, show_default=True, help="Same seed, same files.")
@click.option("--months", default=24, show_default=True, type=click.IntRange(1, 240))
@click.option("--end-month", help="Last month, YYYY-MM (default: the last complete month).")
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.001),
    help="1 is about a real region's volume; 50 for benchmarks.",
)
@click.option(
    "--dirty-rate",
    default=0.005,
    show_default=True,
    type=click.FloatRange(0, 0.5),
    help="Share of rows deliberately spoiled.",
)
def demo_generate(out, seed, months, end_month, scale, dirty_rate) -> None:
    """Write the synthetic region: every source in its real format, plus the truth."""
    from observatory.demo.generate import generate

    summary = generate(
        out,
        seed=seed,
        months=months,
        end_month=end_month or _last_complete_month(),
        scale=scale,
        dirty_rate=dirty_rate,
        progress=lambda m: click.echo(m, err=True),
    )
    groups: dict[str, list[int]] = {}
    for relative, rows in summary.files.items():
        key = (
            relative.split("/")[0]
            if not relative.startswith("police/")
            else ("police/force_extract" if "force_extract" in relative else "police.uk")
        )
        groups.setdefault(key, []).append(rows)
    for key, counts in sorted(groups.items()):
        click.echo(f"{key:<22}{len(counts):>6} files {sum(counts):>13,} rows")
    click.echo(
        f"Wrote {len(summary.files):,} files, {summary.rows:,} rows "
        f"({summary.bad_rows:,} deliberately bad) to {out} in {summary.seconds:.1f}s; "
        "the ground truth is in truth/."
    )


@demo.command("start")
@host_option
@port_option
@click.option("--months", default=24, show_default=True, type=click.IntRange(1, 240))
@click.option("--scale", default=1.0, show_default=True, type=click.FloatRange(min=0.001))
@click.option("--seed", default=42, show_default=True)
def demo_start(host: str, port: int, months: int, scale: float, seed: int) -> None:
    """Generate the demo region, import it, set up one login per role, and serve it.

    The region is generated into `<data dir>/demo-region/` and imported through the real
    pipelines the first time; later starts reuse what the lake holds."""
    runtime = _web()
    runtime.migrate(verbose=False)
    _load_demo_region(months, scale, seed)
    from observatory.web.accounts.demo import ensure_demo_accounts
    from observatory.web.programmes.demo import ensure_demo_programmes

    usernames, password = ensure_demo_accounts()
    ensure_demo_programmes()
    from observatory.web.training.demo import ensure_demo_training

    ensure_demo_training()
    admin, *others = usernames
    click.echo("The demo partnership is ready.")
    click.echo(f"  Log in as {admin} with password {password}")
    click.echo(f"  Other demo logins, same password: {', '.join(others)}")
    click.echo("  Dashboards at /dashboards/, the public's at /public/ (no login), the")
    click.echo("  licensing report at /reports/licensing/, the API at /api/openapi.json;")
    click.echo("  programmes and returns at /programmes/, the public commissioning dashboard")
    click.echo("  at /public/programmes/, training bookings at /training/ (no login)")
    runtime.ready_to_serve()
    _serve(host, port)


def _load_demo_region(months: int, scale: float, seed: int) -> None:
    from observatory.config import load
    from observatory.demo.generate import generate
    from observatory.lake.pipelines import Unusable, import_drop_folder, match_venues
    from observatory.lake.store import Lake
    from observatory.sources.base import Context

    config = load()
    lake = Lake.in_data_dir(config.data_dir)
    region = config.data_dir / "demo-region"
    done = region / "IMPORTED"
    if done.exists():
        click.echo(f"Using the demo region already in {lake.root}.")
        return
    click.echo(f"Generating the demo region ({months} months) into {region}…")
    generate(
        region,
        seed=seed,
        months=months,
        end_month=_last_complete_month(),
        scale=scale,
        dirty_rate=0.005,
        progress=lambda message: None,
    )
    click.echo("Importing it through the import pipelines…")
    totals: dict[str, list[int]] = {}
    for result in import_drop_folder(region, lake, Context(config.pseudonym_key), who="demo"):
        if isinstance(result, Unusable):
            raise ObservatoryError(f"demo file {result.file} could not be imported: {result.error}")
        counts = totals.setdefault(result.source, [0, 0, 0, 0])
        for i, n in enumerate((result.read, result.accepted, result.rejected, result.duplicates)):
            counts[i] += n
    for source, (read, accepted, rejected, duplicates) in sorted(totals.items()):
        click.echo(
            f"  {source:<24}{read:>11,} read {accepted:>11,} accepted "
            f"{rejected:>7,} rejected {duplicates:>6,} duplicates"
        )
    counts = match_venues(lake, who="demo")
    click.echo(
        "  ED locations matched to licensed premises: "
        + ", ".join(f"{n:,} {status}" for status, n in counts.items())
    )
    done.write_text("The demo region in this folder has been imported into the lake.\n")


@app.command(
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
)
@click.argument("django_args", nargs=-1, type=click.UNPROCESSED)
def manage(django_args) -> None:
    """Run a Django management command (for developers: makemigrations, shell, check…)."""
    _web()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["observatory manage", *django_args])


def _add_subcommands() -> None:
    import observatory.cli_analysis  # noqa: F401 - adds the lake's indicators to the group
    from observatory.cli_disclose import disclose
    from observatory.cli_import import import_group
    from observatory.cli_indicators import indicators
    from observatory.cli_programmes import programmes
    from observatory.cli_training import training

    app.add_command(import_group)
    app.add_command(indicators)
    app.add_command(disclose)
    app.add_command(training)
    app.add_command(programmes)


_add_subcommands()


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command, turning every failure into one clear line."""
    args = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in args
    try:
        result = app.main(args=args, prog_name="observatory", standalone_mode=False)
    except click.UsageError as error:
        path = error.ctx.command_path if error.ctx else "observatory"
        _fail(f"{error.format_message()} (see '{path} --help')", code=2)
    except (click.Abort, KeyboardInterrupt):
        _fail("interrupted", code=130)
    except click.ClickException as error:
        _fail(error.format_message(), code=error.exit_code)
    except ObservatoryError as error:
        if debug:
            raise
        _fail(str(error))
    except Exception as error:
        if debug:
            raise
        _fail(f"unexpected {type(error).__name__}: {error} (run again with --debug for details)")
    sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"observatory: error: {message}", err=True)
    sys.exit(code)
