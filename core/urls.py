"""URL pieces needed by both the crawler and the checks."""
from __future__ import annotations

from urllib.parse import urlsplit


def netloc(url: str) -> str:
    """host[:port] of a URL, as urlsplit(url).netloc gives it, in a fraction of its time (it runs for every link)."""
    start = url.find("//")
    if start < 0 or url[:start] not in ("http:", "https:"):
        return urlsplit(url).netloc
    start += 2
    end = len(url)
    for sep in "/?#":
        found = url.find(sep, start, end)
        if found >= 0:
            end = found
    return url[start:end]


def host(url: str) -> str:
    """The host of a URL, lower-case, without user info or port (IPv6 without brackets); fast like netloc."""
    name = netloc(url).rpartition("@")[2].lower()
    if name.startswith("["):
        return name[1:name.find("]")] if "]" in name else name
    return name.partition(":")[0]
