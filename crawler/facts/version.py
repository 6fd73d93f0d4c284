"""Which extraction made a page's stored facts: a repeat audit reuses a page only if the facts would be the same.

The version is a digest of the extraction code and the vocabularies it reads, so any change to them makes the
next audit parse every page again (crawler.revalidate) instead of carrying facts an older extractor produced.
"""
from __future__ import annotations

import hashlib
from importlib.resources import files

from core.resources import CONFIG_DIR


def _sources():
    """The extraction code: these facts modules, the document readers and their facts, what the crawler knows of
    each CMS family, the column catalog and the reading of the wording lists.
    Read through importlib.resources, so it works from a zipped Scrapyd egg too."""
    for package in ("crawler.facts", "crawler.documents", "crawler.cms"):
        try:
            found = sorted((f for f in files(package).iterdir() if f.name.endswith(".py")), key=lambda f: f.name)
        except ModuleNotFoundError:
            continue
        yield from found
    yield files("core").joinpath("columns.py")
    yield files("core").joinpath("wording.py")


def _digest() -> str:
    sha = hashlib.sha1()
    for source in _sources():
        sha.update(source.name.encode() + source.read_bytes())
    for name in ("columns.yaml", "wording.yaml", "spam.yaml"):
        path = CONFIG_DIR / name
        if path.exists():
            sha.update(name.encode() + path.read_bytes())
    return sha.hexdigest()[:12]


FACTS_VERSION = _digest()
