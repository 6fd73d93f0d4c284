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
    def __init__(self, engine, size: int = SIZE):
        self.engine, self.size = engine, size
        self._parts: OrderedDict[Hashable, tuple[tuple, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.built = 0  # parts built (not taken from the cache): what a test or a benchmark reads

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The part (or value) for `key` as of the stored data now; `build` makes it anew when the data changed."""
        version = (date.today(), *data_version(self.engine))
        with self._lock:
            found = self._parts.get(key)
            if found and found[0] == version:
                self._parts.move_to_end(key)
                return found[1]
        part = build()  # outside the lock: two readers of a stale part may both build it, nothing worse
        with self._lock:
            self.built += 1
            self._parts[key] = (version, part)
            self._parts.move_to_end(key)
            while len(self._parts) > self.size:
                self._parts.popitem(last=False)
        return part


def render_part(request, template: str, **context) -> Markup:
    """A part template (…_part.html: what sits under a page's header) rendered with the service's globals."""
    return Markup(request.app.state.templates.env.get_template(template).render(**context))


def known_sites(request) -> dict[str, SiteInfo]:
    """Every site as its newest run registered it (store.overview.sites), as of the stored data now: every page
    asks for it to decide what its reader may see."""
    return request.app.state.cache.get(("sites",), lambda: overview.sites(request.app.state.engine))
