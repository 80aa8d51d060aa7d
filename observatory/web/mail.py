"""OBSERVATORY_EMAIL_URL -> Django's e-mail settings.

By default mail is written to files under `<data dir>/mail/` (one file per sending
connection, such as a run of a command or a request, messages separated by dashes), so a
newcomer's demo sends nothing into the world and a person (or a test) can read what would
have been sent. A partnership sets OBSERVATORY_EMAIL_URL to send for real:

    smtp://USER:PASSWORD@HOST:587/?tls=True     SMTP with STARTTLS (smtps:// for implicit TLS)
    console:                                    print messages to the server's output
    file:                                       files under <data dir>/mail/ (the default)
    file:///var/spool/observatory-mail          files in that folder
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_email_url

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def email_settings(url: str | None, data_dir: Path) -> dict:
    """The EMAIL_* settings for `url` (None or empty: the file backend in the data dir)."""
    if not url:
        return {"EMAIL_BACKEND": FILE_BACKEND, "EMAIL_FILE_PATH": data_dir / "mail"}
    settings = {key: value for key, value in dj_email_url.parse(url).items() if value is not None}
    if settings["EMAIL_BACKEND"] == FILE_BACKEND:
        # dj-email-url drops the leading slash of an absolute path; read it from the URL.
        path = urlsplit(url).path
        settings["EMAIL_FILE_PATH"] = Path(path) if path else data_dir / "mail"
    return settings
