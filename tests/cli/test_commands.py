"""The `observatory` command as a person meets it: help, clear one-line errors, real work."""

import socket
import urllib.request

import pytest

from tests.support.cli import cli_env, run_cli, running_server
from tests.support.postgres import free_port

COMMANDS = [
    [],
    ["serve"],
    ["migrate"],
    ["createuser"],
    ["organisations"],
    ["organisations", "add"],
    ["organisations", "list"],
    ["demo"],
    ["demo", "start"],
]


def assert_one_clear_line(result, *expected):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("observatory: error: ")
    assert "Traceback" not in result.stdout + result.stderr
    for text in expected:
        assert text in lines[0]


@pytest.fixture
def env(tmp_path, database_url):
    return cli_env(tmp_path / "data", database_url)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "observatory")
def test_every_command_has_help(tmp_path, command):
    result = run_cli(*command, "--help", env=cli_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Usage: observatory" in result.stdout


def test_top_level_help_lists_the_commands(tmp_path):
    output = run_cli("--help", env=cli_env(tmp_path)).stdout
    for command in ["serve", "migrate", "createuser", "organisations", "demo"]:
        assert f"  {command} " in output


def test_unknown_command(tmp_path):
    result = run_cli("frobnicate", env=cli_env(tmp_path))
    assert result.returncode == 2
    assert_one_clear_line(result, "No such command 'frobnicate'", "observatory --help")


def test_unsupported_database_url(tmp_path):
    env = cli_env(tmp_path, "mysql://root:hunter2@localhost/obs")
    result = run_cli("migrate", env=env)
    assert_one_clear_line(result, "DATABASE_URL", "does not support", "postgres://")
    assert "hunter2" not in result.stderr


def test_unreachable_postgres(tmp_path):
    url = f"postgres://obs:hunter2@127.0.0.1:{free_port()}/observatory"
    result = run_cli("migrate", env=cli_env(tmp_path, url))
    assert_one_clear_line(result, "cannot connect to the database", "DATABASE_URL")
    assert "hunter2" not in result.stderr and "***" in result.stderr


def test_unwritable_data_dir(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run_cli("migrate", env=cli_env(blocker / "data"))
    assert_one_clear_line(result, "not writable", "OBSERVATORY_DATA_DIR")


def test_debug_shows_the_traceback(tmp_path):
    env = cli_env(tmp_path, "mysql://localhost/obs")
    result = run_cli("--debug", "migrate", env=env)
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_serve_refuses_an_unmigrated_database(env):
    result = run_cli("serve", env=env)
    assert_one_clear_line(result, "observatory migrate")


def test_migrate_is_idempotent(env):
    assert run_cli("migrate", env=env).returncode == 0
    second = run_cli("migrate", env=env)
    assert second.returncode == 0, second.stderr
    assert "No migrations to apply" in second.stdout


def test_organisations_and_users_from_the_command_line(env):
    assert run_cli("migrate", env=env).returncode == 0
    added = run_cli(
        "organisations",
        "add",
        "Walsall Street Sport",
        "--kind",
        "voluntary",
        "--local-authority",
        "Walsall",
        env=env,
    )
    assert added.returncode == 0, added.stderr
    assert "Walsall" in run_cli("organisations", "list", env=env).stdout

    created = run_cli(
        "createuser",
        "kim",
        "--role",
        "provider",
        "--organisation",
        "walsall street sport",
        "--password-stdin",
        env=env,
        stdin="a-long-Test-passphrase-42\n",
    )
    assert created.returncode == 0, created.stderr
    assert "Provider" in created.stdout and "Password:" not in created.stdout

    generated = run_cli("createuser", "boss", "--role", "vrp_admin", env=env)
    assert generated.returncode == 0, generated.stderr
    assert "Password: " in generated.stdout


def test_user_errors_are_one_line(env):
    assert run_cli("migrate", env=env).returncode == 0
    no_org = run_cli("createuser", "x", "--role", "partner", "--organisation", "Nope", env=env)
    assert_one_clear_line(no_org, "no organisation named 'Nope'")
    missing_org = run_cli("createuser", "y", "--role", "partner", env=env)
    assert_one_clear_line(missing_org, "belongs to an organisation")
    weak = run_cli(
        "createuser", "z", "--role", "vrp_admin", "--password-stdin", env=env, stdin="123\n"
    )
    assert_one_clear_line(weak, "cannot create user 'z'")
    bad_role = run_cli("createuser", "w", "--role", "king", env=env)
    assert bad_role.returncode == 2
    assert_one_clear_line(bad_role, "--role")


def test_serve_on_the_port_asked_for(env):
    assert run_cli("migrate", env=env).returncode == 0
    port = free_port()
    with running_server("serve", "--port", str(port), env=env) as server:
        assert server.url == f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(server.url, timeout=10) as response:
            assert response.status == 200
            assert b"Log in" in response.read()
        with urllib.request.urlopen(f"{server.url}static/vendor/plotly.min.js") as response:
            assert response.status == 200


def test_serve_reports_a_busy_port(env):
    assert run_cli("migrate", env=env).returncode == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run_cli("serve", "--port", str(busy.getsockname()[1]), env=env)
    assert_one_clear_line(result, "already in use", "--port")
