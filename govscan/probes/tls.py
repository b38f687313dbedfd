"""The site's HTTPS: does it answer a TLS handshake, with which protocol, and what would a
browser say of its certificate (expired, self-signed, another name, an unknown CA)?

Two handshakes through the scan's resolver: one that accepts anything, to read the
certificate and the newest protocol the server speaks (TLS 1.0 and 1.1 allowed, so that a
server stuck on them is seen, not just refused); one that verifies as a browser does, with
the system's CAs and the host's name.
"""

from __future__ import annotations

import socket
import ssl
import warnings
from datetime import UTC, datetime
from urllib.parse import urlsplit

from govscan.lazy import lazy_import
from govscan.resolver import Lookup
from govscan.store.view import TlsMeasurement

x509 = lazy_import("cryptography.x509")

#: What the verifier's reasons mean, by the words OpenSSL uses.
PROBLEMS = (
    ("certificate has expired", "expired"),
    ("self-signed", "self_signed"),
    ("self signed", "self_signed"),
    ("Hostname mismatch", "name_mismatch"),
    ("IP address mismatch", "name_mismatch"),
    ("unable to get local issuer", "untrusted"),
    ("unable to get issuer", "untrusted"),
)


#: What a verifying client says when the server only speaks a protocol it refuses.
OLD_PROTOCOL_ERRORS = ("PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "NO_PROTOCOLS_AVAILABLE")


def measure(url: str, lookup: Lookup, timeout: float) -> TlsMeasurement:
    """The HTTPS of ``url``'s host: its own port when ``url`` is https, else 443."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = (parts.port or 443) if parts.scheme == "https" else 443
    addresses = lookup.addresses(host)
    if not addresses:
        return TlsMeasurement(host, port, https=False, error="域名无法解析")
    address = addresses[0]
    try:
        version, der = handshake(address, port, host, timeout, permissive_context())
    except (OSError, ssl.SSLError) as error:
        return TlsMeasurement(host, port, https=False, error=no_https(error, port))
    certificate = x509.load_der_x509_certificate(der)
    end = certificate.not_valid_after_utc
    days_left = (end - datetime.now(UTC)).days
    problem, detail = verdict(address, port, host, timeout)
    return TlsMeasurement(
        host,
        port,
        https=True,
        version=version,
        not_after=end.replace(tzinfo=None).isoformat(timespec="seconds") + "Z",
        days_left=days_left,
        problem=problem,
        detail=detail,
    )


def handshake(
    address: str, port: int, host: str, timeout: float, context: ssl.SSLContext
) -> tuple[str, bytes]:
    with (
        socket.create_connection((address, port), timeout=timeout) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        return tls.version() or "", tls.getpeercert(binary_form=True) or b""


def permissive_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():  # deprecated, and the very thing to detect
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    return context


def verdict(address: str, port: int, host: str, timeout: float) -> tuple[str | None, str | None]:
    """What a verifying client says of the certificate: None when it is accepted."""
    try:
        handshake(address, port, host, timeout, ssl.create_default_context())
    except ssl.SSLCertVerificationError as error:
        reason = error.verify_message or str(error)
        kind = next((kind for words, kind in PROBLEMS if words in reason), "other")
        return kind, reason
    except ssl.SSLError as error:
        if any(words in str(error) for words in OLD_PROTOCOL_ERRORS):
            return None, None  # the protocol is the problem, reported as such, not the certificate
        return "other", str(error)
    except OSError as error:
        return "other", str(error)
    return None, None


def no_https(error: BaseException, port: int) -> str:
    if isinstance(error, ConnectionRefusedError):
        return f"{port} 端口拒绝连接，网站未提供 HTTPS 访问"
    if isinstance(error, TimeoutError | socket.timeout):
        return "HTTPS 连接超时"
    if isinstance(error, ssl.SSLError):
        return f"TLS 握手失败（{error.reason or error}）"
    return f"无法建立 HTTPS 连接（{error}）"
