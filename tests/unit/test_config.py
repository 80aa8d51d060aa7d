"""Configuration: defaults a newcomer never sets, secrets kept private, clear refusals."""

import stat

import pytest

from observatory import config
from observatory.errors import ObservatoryError


def test_defaults_put_everything_in_the_data_dir(tmp_path):
    settings = config.load({"OBSERVATORY_DATA_DIR": str(tmp_path / "var")})
    assert settings.data_dir == tmp_path / "var"
    assert settings.database_url == f"sqlite:///{tmp_path / 'var' / 'observatory.sqlite3'}"
    assert not settings.uses_postgres
    assert settings.debug is False
    assert "127.0.0.1" in settings.allowed_hosts


def test_secrets_are_generated_once_private_and_stable(tmp_path):
    first = config.load({"OBSERVATORY_DATA_DIR": str(tmp_path)})
    second = config.load({"OBSERVATORY_DATA_DIR": str(tmp_path)})
    assert first.secret_key == second.secret_key
    assert first.pseudonym_key == second.pseudonym_key
    assert first.secret_key != first.pseudonym_key
    assert len(first.pseudonym_key) >= 64
    for name in ("secret_key", "pseudonym_key"):
        mode = stat.S_IMODE((tmp_path / "secrets" / name).stat().st_mode)
        assert mode == 0o600


def test_secrets_from_the_environment_win_and_are_not_written(tmp_path):
    settings = config.load(
        {
            "OBSERVATORY_DATA_DIR": str(tmp_path),
            "OBSERVATORY_SECRET_KEY": "from-env-1",
            "OBSERVATORY_PSEUDONYM_KEY": "from-env-2",
        }
    )
    assert (settings.secret_key, settings.pseudonym_key) == ("from-env-1", "from-env-2")
    assert not (tmp_path / "secrets" / "secret_key").exists()


def test_postgres_url_is_accepted(tmp_path):
    settings = config.load(
        {"OBSERVATORY_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://u:p@db:5432/obs"}
    )
    assert settings.uses_postgres


@pytest.mark.parametrize("value", ["yes", "1", "TRUE", "on"])
def test_debug_is_opt_in(tmp_path, value):
    assert config.load({"OBSERVATORY_DATA_DIR": str(tmp_path), "OBSERVATORY_DEBUG": value}).debug


@pytest.mark.parametrize(
    "url", ["mysql://root:hunter2@db/obs", "not a url", "oracle://x", "hunter2"]
)
def test_unsupported_database_url_is_refused_without_showing_the_password(tmp_path, url):
    with pytest.raises(ObservatoryError, match="DATABASE_URL") as raised:
        config.load({"OBSERVATORY_DATA_DIR": str(tmp_path), "DATABASE_URL": url})
    assert "hunter2" not in str(raised.value) or url == "hunter2"
    assert "postgres://" in str(raised.value)


def test_data_dir_that_is_a_file_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ObservatoryError, match="OBSERVATORY_DATA_DIR"):
        config.load({"OBSERVATORY_DATA_DIR": str(blocker)})
    with pytest.raises(ObservatoryError, match="not writable"):
        config.load({"OBSERVATORY_DATA_DIR": str(blocker / "below")})


def test_mask_password():
    assert config.mask_password("postgres://u:s3cret@h:5432/d") == "postgres://u:***@h:5432/d"
    assert config.mask_password("postgres://u@h/d") == "postgres://u@h/d"
    assert config.mask_password("sqlite:///tmp/x.db") == "sqlite:///tmp/x.db"
