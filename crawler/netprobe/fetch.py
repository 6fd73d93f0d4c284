"""One HTTP request to a chosen address: the probes pick the address family (the site's IPv4 or an AAAA address)
and send the site's own Host header, as a browser on that network would."""
from __future__ import annotations

import errno
import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.settings import USER_AGENT


@dataclass
class Answer:
    status: int | None = None
    location: str | None = None
    hsts: str | None = None
    error: str | None = None  # timeout, refused, unreachable, reset, tls, …

    def contract(self) -> dict:
        return {"status": self.status, "error": self.error}


def unverified_context() -> ssl.SSLContext:
    """For reachability only: whether the certificate is valid is the HTTPS probe's question, not this one's."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def get(url: str, address: str, timeout: float, context: ssl.SSLContext | None = None) -> Answer:
    """GET `url` from `address` (IPv4 or IPv6) without following redirects; the status and the headers the probes
    read. An https:// URL is asked over TLS (unverified unless a context is given)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        sock = socket.create_connection((address, port), timeout=timeout)
    except OSError as exc:
        return Answer(error=error_name(exc))
    try:
        if parts.scheme == "https":
            sock = (context or unverified_context()).wrap_socket(sock, server_hostname=parts.hostname)
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
        connection.sock = sock
        connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*", "Connection": "close"})
        response = connection.getresponse()
        answer = Answer(response.status, response.getheader("Location"),
                        response.getheader("Strict-Transport-Security"))
        response.read(65536)
        return answer
    except (OSError, http.client.HTTPException) as exc:
        return Answer(error=error_name(exc))
    finally:
        sock.close()


def error_name(exc: BaseException) -> str:
    """The short name of a network failure, as Page.error names the crawl's."""
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, ConnectionResetError):
        return "reset"
    if isinstance(exc, ssl.SSLError):
        return "tls"
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL):
        return "unreachable"
    if isinstance(exc, http.client.HTTPException):
        return "bad-response"
    return type(exc).__name__
