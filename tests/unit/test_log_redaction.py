"""Booking links are secrets: the server log never shows their tokens."""

import logging

from observatory.web.log_redaction import RedactBookingTokens, redact


def test_redact_replaces_the_token_only():
    assert (
        redact("Not Found: /training/b/Zx9_-abc/extra/") == "Not Found: /training/b/[token]/extra/"
    )
    assert redact("GET /training/ 200") == "GET /training/ 200"


def test_filter_rewrites_message_and_arguments():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/training/b/s3cr3t/x",),
        None,
    )
    assert RedactBookingTokens().filter(record)
    assert record.getMessage() == "Not Found: /training/b/[token]/x"
    assert "s3cr3t" not in record.getMessage()


def test_the_configured_log_handler_redacts():
    """The console handler set up from settings.LOGGING carries the filter."""
    assert any(
        isinstance(each, RedactBookingTokens)
        for handler in logging.getLogger().handlers
        for each in handler.filters
    )
