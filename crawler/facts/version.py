"""Which extraction made a page's stored facts: a repeat audit reuses a page only if the facts would be the same.

The version is a digest of the extraction code and the vocabularies it reads, so any change to them makes the
next audit parse every page again (crawler.revalidate) instead of carrying facts an older extractor produced.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from gkaudit.resources import config_dir


def _digest() -> str:
    sha = hashlib.sha1()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        sha.update(path.name.encode() + path.read_bytes())
    for name in ("columns.yaml", "wording.yaml"):
        path = config_dir() / name
        if path.exists():
            sha.update(name.encode() + path.read_bytes())
    return sha.hexdigest()[:12]


FACTS_VERSION = _digest()
