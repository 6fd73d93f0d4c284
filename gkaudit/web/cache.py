"""Rendered parts of the heavy pages, kept until the data they show changes.

The dashboard of a province (150 sites, their 12-audit trends, the ledger totals) and a site's page cost tens of
milliseconds of template work each; twenty people reading them at once queue behind each other on one process.
What they show changes only when a run, a site result, a ledger step or a waiver is stored
(store.overview.data_version) or the day turns (逾期, 本月销号), so a part is built once per version and reused.
Only the part under the page's header is kept: the header carries each session's name and CSRF token.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import TypeVar

from markupsafe import Markup

from store import overview
from store.overview import SiteInfo, data_version

T = TypeVar("T")

SIZE = 256  # parts kept: a dashboard per scope of sites, a site page per site and page number, …


class PageCache:
    def __init__(self, size: int = SIZE):
        self.size = size
        self._parts: OrderedDict[Hashable, tuple[tuple, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: tuple, build: Callable[[], T]) -> T:
        """The part (or value) kept for `key` at `version`; `build` makes it anew when the data changed."""
        with self._lock:
            found = self._parts.get(key)
            if found and found[0] == version:
                self._parts.move_to_end(key)
                return found[1]
        part = build()  # outside the lock: two readers of a stale part may both build it, nothing worse
        with self._lock:
            self._parts[key] = (version, part)
            self._parts.move_to_end(key)
            while len(self._parts) > self.size:
                self._parts.popitem(last=False)
        return part


def cached(request, key: Hashable, build: Callable[[], T]) -> T:
    """The part for `key` as of the stored data now. The data's version is read once a request (a page asks for
    the known sites and then for its own part)."""
    version = getattr(request.state, "data_version", None)
    if version is None:
        version = request.state.data_version = (date.today(), *data_version(request.app.state.engine))
    return request.app.state.cache.get(key, version, build)


def render_part(request, template: str, **context) -> Markup:
    """A part template (…_part.html: what sits under a page's header) rendered with the service's globals."""
    return Markup(request.app.state.templates.env.get_template(template).render(**context))


def known_sites(request) -> dict[str, SiteInfo]:
    """Every site as its newest run registered it (store.overview.sites), as of the stored data now: every page
    asks for it to decide what its reader may see."""
    return cached(request, ("sites",), lambda: overview.sites(request.app.state.engine))
