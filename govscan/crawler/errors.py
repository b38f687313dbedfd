"""Names the kind of a network failure, the same way whichever download handler raised it."""

from __future__ import annotations

from twisted.python.failure import Failure

#: Exception class names → kind; the first match along the exception chain wins.
KINDS = {
    "DNSLookupError": "dns",
    "CannotResolveHostError": "dns",
    "ConnectionRefusedError": "refused",
    "DownloadConnectionRefusedError": "refused",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "DownloadTimeoutError": "timeout",
    # Scrapy cancels a download only when its body passes DOWNLOAD_MAXSIZE (announced or
    # received so far); a download that takes too long ends in DownloadTimeoutError instead.
    "DownloadCancelledError": "too_large",
    "HostRateLimited": "rate_limited",  # govscan.crawler.middlewares gave up on a host's 429s
    "IgnoreRequest": "robots",
    "ConnectionLost": "connection",
    "ConnectionDone": "connection",
    "ConnectError": "connection",
    "ResponseFailed": "connection",
    "ResponseNeverReceived": "connection",
    "ResponseDataLossError": "connection",
    "DownloadFailedError": "connection",
}
#: Words in an exception's module or class name that mark a TLS failure.
TLS_MARKS = ("ssl", "tls", "certificate", "service_identity")
#: Causes that name the kind whatever wraps them: Scrapy's HttpCompressionMiddleware drops a
#: response that decompresses past DOWNLOAD_MAXSIZE (a gzip bomb) with an IgnoreRequest, the
#: exception robots.txt rules raise too.
DECISIVE_CAUSES = {"_DecompressionMaxSizeExceeded": "too_large"}


def error_kind(failure: Failure) -> str | None:
    """``dns``, ``refused``, ``timeout``, ``tls``, ``too_large``, ``rate_limited``, ``robots``
    or ``connection``.

    None means the failure is not the network's but govscan's own: the scan is incomplete.
    """
    chain = _chain(failure.value)
    for error in chain:
        name = f"{type(error).__module__}.{type(error).__name__}".lower()
        if any(mark in name for mark in TLS_MARKS):
            return "tls"
        if type(error).__name__ in DECISIVE_CAUSES:
            return DECISIVE_CAUSES[type(error).__name__]
    for error in chain:
        for cls in type(error).__mro__:
            if cls.__name__ in KINDS:
                return KINDS[cls.__name__]
    return None


def _chain(error: BaseException) -> list[BaseException]:
    """The error, its causes, and the reasons Twisted wraps inside ``ResponseNeverReceived``."""
    found: list[BaseException] = []
    todo = [error]
    while todo:
        current = todo.pop(0)
        if current is None or any(current is seen for seen in found):
            continue
        found.append(current)
        todo.extend([current.__cause__, current.__context__])
        todo.extend(getattr(reason, "value", reason) for reason in getattr(current, "reasons", []))
    return found
