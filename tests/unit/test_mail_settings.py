"""OBSERVATORY_EMAIL_URL: files in the data dir by default, SMTP or console when configured."""

from pathlib import Path

from observatory import config
from observatory.web.mail import FILE_BACKEND, email_settings


def test_default_is_files_in_the_data_dir(tmp_path):
    assert email_settings("", tmp_path) == {
        "EMAIL_BACKEND": FILE_BACKEND,
        "EMAIL_FILE_PATH": tmp_path / "mail",
    }


def test_smtp_url_sets_host_port_credentials_and_tls(tmp_path):
    settings = email_settings("smtp://vrp:s3cret@mail.example.org:587/?tls=True", tmp_path)
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert (settings["EMAIL_HOST_USER"], settings["EMAIL_HOST_PASSWORD"]) == ("vrp", "s3cret")
    assert settings["EMAIL_USE_TLS"] is True


def test_console_and_file_urls(tmp_path):
    assert email_settings("console:", tmp_path)["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert email_settings("file:", tmp_path)["EMAIL_FILE_PATH"] == tmp_path / "mail"
    absolute = email_settings("file:///var/spool/observatory-mail", tmp_path)
    assert absolute["EMAIL_FILE_PATH"] == Path("/var/spool/observatory-mail")


def test_config_reads_sender_and_site_url(tmp_path):
    loaded = config.load(
        {
            "OBSERVATORY_DATA_DIR": str(tmp_path),
            "OBSERVATORY_EMAIL_FROM": "VRP <vrp@example.org>",
            "OBSERVATORY_SITE_URL": "https://observatory.example.org/",
        }
    )
    assert loaded.email_from == "VRP <vrp@example.org>"
    assert loaded.site_url == "https://observatory.example.org"
    assert loaded.email_url == ""
