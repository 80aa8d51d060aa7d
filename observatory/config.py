"""Configuration from environment variables, with embedded defaults a newcomer never has to set.

| variable                    | default                                   |
|-----------------------------|-------------------------------------------|
| OBSERVATORY_DATA_DIR        | ./var                                     |
| DATABASE_URL                | sqlite:///<data dir>/observatory.sqlite3  |
| OBSERVATORY_SECRET_KEY      | generated once, kept in <data dir>/secrets |
| OBSERVATORY_PSEUDONYM_KEY   | generated once, kept in <data dir>/secrets |
| OBSERVATORY_DEBUG           | off                                       |
| OBSERVATORY_ALLOWED_HOSTS   | 127.0.0.1,localhost,[::1]                 |
| OBSERVATORY_EMAIL_URL       | files under <data dir>/mail/ (web/mail.py) |
| OBSERVATORY_EMAIL_FROM      | Observatory <observatory@localhost>       |
| OBSERVATORY_SITE_URL        | http://127.0.0.1:8000                     |

No Django here: the sources, lake and analysis layers read their settings from this module too.
Secrets generated on first run are written with owner-only permissions inside the data dir,
which .gitignore keeps out of version control.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from observatory.errors import ObservatoryError

SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Config:
    """Everything Observatory reads from its environment, resolved and checked."""

    data_dir: Path
    database_url: str
    secret_key: str
    pseudonym_key: str
    debug: bool
    allowed_hosts: tuple[str, ...]
    email_url: str
    email_from: str
    site_url: str

    @property
    def uses_postgres(self) -> bool:
        return urlsplit(self.database_url).scheme != "sqlite"


def load(environ: dict[str, str] | None = None) -> Config:
    """Read the configuration, creating the data dir and any missing secret.

    Raises ObservatoryError, with a message saying how to fix it, for an unusable data dir or
    an unsupported DATABASE_URL.
    """
    env = os.environ if environ is None else environ
    data_dir = prepare_data_dir(Path(env.get("OBSERVATORY_DATA_DIR") or "var"))
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'observatory.sqlite3'}"
    check_database_url(database_url)
    return Config(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=env.get("OBSERVATORY_SECRET_KEY") or stored_secret(data_dir, "secret_key"),
        pseudonym_key=env.get("OBSERVATORY_PSEUDONYM_KEY")
        or stored_secret(data_dir, "pseudonym_key"),
        debug=env.get("OBSERVATORY_DEBUG", "").strip().lower() in _TRUE,
        allowed_hosts=tuple(
            host.strip()
            for host in env.get("OBSERVATORY_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
            if host.strip()
        ),
        email_url=env.get("OBSERVATORY_EMAIL_URL", "").strip(),
        email_from=env.get("OBSERVATORY_EMAIL_FROM") or "Observatory <observatory@localhost>",
        site_url=(env.get("OBSERVATORY_SITE_URL") or "http://127.0.0.1:8000").rstrip("/"),
    )


def prepare_data_dir(path: Path) -> Path:
    """Create the data dir if needed and prove it is writable; return its absolute path."""
    path = path.expanduser().absolute()
    hint = "set OBSERVATORY_DATA_DIR to a folder you can write to"
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except FileExistsError:
        raise ObservatoryError(f"data directory {path} is a file, not a folder: {hint}") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ObservatoryError(
            f"data directory {path} is not writable ({reason}): {hint}"
        ) from None
    return path


def stored_secret(data_dir: Path, name: str, nbytes: int = 48) -> str:
    """Return the secret kept in `<data_dir>/secrets/<name>`, generating it on first use.

    The file is created exclusively with mode 0600, so two processes starting at once agree
    on one secret and no other user of the machine can read it.
    """
    folder = data_dir / "secrets"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / name
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text().strip()
        if not value:
            raise ObservatoryError(
                f"secret file {path} is empty: delete it to generate a new one"
            ) from None
        return value
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


def check_database_url(url: str) -> None:
    """Refuse a DATABASE_URL Observatory cannot use, saying what would work instead."""
    scheme = urlsplit(url).scheme
    if scheme in SUPPORTED_DATABASE_SCHEMES:
        return
    shown = f"'{scheme}'" if scheme else "no scheme"
    raise ObservatoryError(
        f"DATABASE_URL {mask_password(url)} has {shown}, which Observatory does not support: "
        "use postgres://USER:PASSWORD@HOST:5432/NAME, or leave it unset for the embedded SQLite"
    )


def mask_password(url: str) -> str:
    """The URL with any password replaced by ***, safe to print or log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
