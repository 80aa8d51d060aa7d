"""A logging filter that keeps personal booking links out of the server's log.

A training booking's page is reached by a secret link (/training/b/<token>/): whoever has the
link can cancel the booking. Django logs the path of every 404 and 405 answer, so a mistyped
or truncated link would otherwise write the token into the log. The filter replaces the token
in the message and in its arguments before any handler writes the line.
"""

import logging
import re

_BOOKING_LINK = re.compile(r"(/training/b/)[^/\s\"']+")
REDACTED = r"\1[token]"


def redact(text: str) -> str:
    """`text` with every booking-link token replaced by "[token]"."""
    return _BOOKING_LINK.sub(REDACTED, text)


class RedactBookingTokens(logging.Filter):
    """Rewrite each record's message so that no booking token reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in args)
        return True
