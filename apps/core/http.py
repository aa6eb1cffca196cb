from django.http import HttpRequest
from django.http.request import split_domain_port


def request_port(request: HttpRequest) -> str:
    """The port the visitor reached us on, for links we send them ("" for the default one)."""
    _host, port = split_domain_port(request.get_host())
    default = "443" if request.is_secure() else "80"
    return "" if port in ("", default) else port
