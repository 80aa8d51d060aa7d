"""Serving the web app with Waitress, a production WSGI server that needs no compiler."""

import errno

from observatory.errors import ObservatoryError


def serve(host: str, port: int, threads: int = 8, announce=print) -> None:
    """Serve until interrupted. Binding happens before the announcement, so a busy port is
    reported as such instead of a server that never answers."""
    from waitress import create_server

    from observatory.web.wsgi import application

    try:
        server = create_server(application, host=host, port=port, threads=threads)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ObservatoryError(
                f"port {port} on {host} is already in use: stop the program using it, "
                "or choose another with --port"
            ) from None
        raise ObservatoryError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    shown_host = f"[{host}]" if ":" in host else host
    announce(f"Observatory is serving on http://{shown_host}:{port}/  (Ctrl+C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        announce("Stopped.")
    finally:
        server.close()
