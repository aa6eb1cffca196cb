"""The baseline of bench/routing.py: a WSGI app with no framework at all."""

BODY = b"hello from bare wsgi\n"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]
