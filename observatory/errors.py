"""The one exception type that reaches a person.

Anything raised as `ObservatoryError` is a problem the user can fix (a wrong setting, an
unreachable server, a bad file). The command line prints its message as one line and exits
non-zero; its message must therefore say what is wrong and how to put it right, and must
never contain a password or personal data.
"""


class ObservatoryError(Exception):
    """A problem the user can act on; `str(error)` is the whole message they see."""
