"""HTTPS of a site: the certificate (verified with the system's CA, or the audit's `ca_bundle`), where http://
leads, and the Strict-Transport-Security header.

A handshake that fails because nothing speaks TLS there (refused, a plain-HTTP answer, a closed connection) is
`absent`: the site has no HTTPS at that address. A handshake the server answers but that fails verification is
`invalid`, with the reason a webmaster acts on (expired, untrusted issuer, wrong host name, outdated protocol).
"""
from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit, urlunsplit

from cryptography import x509
from cryptography.x509.oid import NameOID

from crawler.netprobe.fetch import error_name, get

# OpenSSL verify codes → the reason stored (X509_V_ERR_*)
VERIFY_REASONS = {9: "not_yet_valid", 10: "expired", 18: "untrusted", 19: "untrusted", 20: "untrusted",
                  21: "untrusted", 62: "hostname"}
# Handshake failures of a server that does speak TLS, but only what clients no longer accept
PROTOCOL_REASONS = {"TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "NO_PROTOCOLS_AVAILABLE",
                    "SSLV3_ALERT_HANDSHAKE_FAILURE", "NO_SHARED_CIPHER", "TLSV1_ALERT_INSUFFICIENT_SECURITY",
                    "DH_KEY_TOO_SMALL", "NO_CIPHERS_AVAILABLE", "UNSAFE_LEGACY_RENEGOTIATION_DISABLED"}
MAX_REDIRECTS = 5


@dataclass
class TlsResult:
    url: str
    tls: str  # valid | invalid | absent | error
    reason: str | None = None
    error: str | None = None
    not_after: datetime | None = None
    subject: str | None = None
    issuer: str | None = None
    hsts: str | None = None

    def row(self) -> dict:
        return {"https_url": self.url, "tls": self.tls, "tls_reason": self.reason, "tls_error": self.error,
                "cert_not_after": self.not_after, "cert_subject": self.subject, "cert_issuer": self.issuer,
                "hsts": self.hsts}


def counterpart(url: str, scheme: str) -> str:
    """The same address in the other scheme: an explicit port is kept (a test or intranet server answering both),
    a default one follows the scheme (80 ↔ 443)."""
    parts = urlsplit(url)
    return urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, ""))


def probe_https(url: str, address: str, timeout: float, cafile: str | None) -> TlsResult:
    """Handshake with the HTTPS address `url` at `address` (IPv4); when valid, GET it for its HSTS header."""
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 443
    try:
        context = ssl.create_default_context(cafile=cafile or None)
    except (OSError, ssl.SSLError) as exc:
        return TlsResult(url, "error", error=f"CA 证书文件无法读取：{exc}")
    try:
        raw = socket.create_connection((address, port), timeout=timeout)
    except OSError as exc:
        name = error_name(exc)
        return TlsResult(url, "absent" if name in ("refused", "unreachable") else "error", error=name)
    try:
        with context.wrap_socket(raw, server_hostname=host) as sock:
            result = TlsResult(url, "valid", **_certificate(sock.getpeercert(binary_form=True)))
    except ssl.SSLCertVerificationError as exc:
        reason = VERIFY_REASONS.get(exc.verify_code, "other")
        return TlsResult(url, "invalid", reason, exc.verify_message or str(exc),
                         **_unverified_certificate(address, port, host, timeout))
    except ssl.SSLError as exc:
        if exc.reason in PROTOCOL_REASONS:
            return TlsResult(url, "invalid", "protocol", exc.reason)
        return TlsResult(url, "absent", error=exc.reason or type(exc).__name__)  # WRONG_VERSION_NUMBER, EOF …
    except OSError as exc:
        name = error_name(exc)
        return TlsResult(url, "error" if name == "timeout" else "absent", error=name)
    finally:
        raw.close()
    answer = get(url, address, timeout, context)
    result.hsts = answer.hsts
    return result


def follow_http(url: str, address_of, timeout: float) -> tuple[str | None, str | None]:
    """Ask http:// `url` without a browser's help: (the https:// address its redirects lead to, or None; the error
    when it does not answer). address_of(host) gives the IPv4 address to ask."""
    for _ in range(MAX_REDIRECTS + 1):
        try:
            answer = get(url, address_of(urlsplit(url).hostname), timeout)
        except OSError as exc:
            return None, str(exc)[:200]
        if answer.status is None:
            return None, answer.error
        if not (300 <= answer.status < 400 and answer.location):
            return None, None if answer.status < 400 else f"HTTP {answer.status}"
        target = urljoin(url, answer.location.strip())
        if target.startswith("https://"):
            return target, None
        if not target.startswith("http://"):
            return None, None
        url = target
    return None, "redirect-loop"


def _certificate(der: bytes | None) -> dict:
    """notAfter, subject and issuer of a DER certificate (what a finding names)."""
    if not der:
        return {}
    cert = x509.load_der_x509_certificate(der)
    try:  # the names a certificate is valid for are its subjectAltName's (browsers ignore the CN)
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
            x509.DNSName)
    except x509.ExtensionNotFound:
        names = []
    return {"not_after": cert.not_valid_after_utc.replace(tzinfo=timezone.utc),
            "subject": ", ".join(names)[:200] or _name(cert.subject), "issuer": _name(cert.issuer)}


def _unverified_certificate(address: str, port: int, host: str, timeout: float) -> dict:
    """The certificate of a failed verification, read again without verifying: its expiry and issuer are the
    evidence."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((address, port), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=host) as sock:
            return _certificate(sock.getpeercert(binary_form=True))
    except (OSError, ValueError):
        return {}


def _name(name: x509.Name) -> str:
    """CN, else O, else the whole name (RFC 4514)."""
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        found = name.get_attributes_for_oid(oid)
        if found:
            return str(found[0].value)[:200]
    return name.rfc4514_string()[:200]
