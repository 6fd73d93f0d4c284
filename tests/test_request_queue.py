"""Requests wait in a disk queue (JOBDIR) or in Redis (site-shared): they must come back as they went in."""
from __future__ import annotations

import pickle

from scrapy.utils.request import request_from_dict

from crawler.spiders.site import SiteRequest, SiteSpider


def test_a_queued_request_comes_back_with_its_callbacks_meta_and_headers():
    spider = SiteSpider(sites=[])
    for callback in (spider.parse, spider.parse_resource, spider.confirmed):
        sent = SiteRequest("http://127.0.0.5/xwdt/index_1.html", method="HEAD", callback=callback,
                           errback=spider.failed, meta={"site": "news", "depth": 2, "previous_run": 1},
                           headers={"If-None-Match": '"abc"'}, dont_filter=True)
        back = request_from_dict(pickle.loads(pickle.dumps(sent.to_dict(spider=spider))), spider=spider)
        assert type(back) is SiteRequest and back.url == sent.url and back.method == "HEAD"
        assert back.callback == callback and back.errback == spider.failed and back.meta == sent.meta
        assert back.headers.get("If-None-Match") == b'"abc"' and back.dont_filter
        assert sent.callback == callback  # serialising leaves the request as it was
