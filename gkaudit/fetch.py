"""Fetch one page for `gkaudit inspect`: a local file or a URL (raw bytes; decoding is the extractor's job)."""
from __future__ import annotations

import urllib.request
from pathlib import Path

from core.options import BY_NAME
from crawler.settings import USER_AGENT


def fetch(target: str) -> tuple[str, bytes, str | None]:
    """Return (url, body, content_type). A path becomes a file:// URL; no charset is assumed for files."""
    if target.startswith(("http://", "https://")):
        request = urllib.request.Request(target, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=BY_NAME["timeout"].default) as response:  # noqa: S310 (http only)
            return response.geturl(), response.read(), response.headers.get("Content-Type")
    path = Path(target)
    return path.resolve().as_uri(), path.read_bytes(), None
