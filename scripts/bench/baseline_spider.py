"""The baseline of `make bench`: a bare Scrapy spider that follows every internal link of the same sites.

It does what a minimal Scrapy crawler does (LinkExtractor, default dupefilter) and nothing gkaudit does
(no facts, no store, no checks), with the same concurrency and politeness settings.
"""
from __future__ import annotations

import sys
from urllib.parse import urlsplit

import scrapy
import yaml
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor


class BaselineSpider(scrapy.Spider):
    name = "baseline"

    def __init__(self, urls, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = urls
        self.allowed_domains = sorted({urlsplit(u).hostname for u in urls})
        self.extractor = LinkExtractor()
        self.pages = 0

    def parse(self, response):
        self.pages += 1
        if not hasattr(response, "text"):
            return
        for link in self.extractor.extract_links(response):
            if urlsplit(link.url).netloc == urlsplit(response.url).netloc:
                yield response.follow(link.url, callback=self.parse)


def main(sites_file: str, out: str) -> None:
    urls = [s["url"] for s in yaml.safe_load(open(sites_file, encoding="utf-8"))["sites"]]
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2, "DOWNLOAD_DELAY": 0, "TELNETCONSOLE_ENABLED": False,
        "COOKIES_ENABLED": False, "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    })
    crawler = process.create_crawler(BaselineSpider)
    process.crawl(crawler, urls=urls)
    process.start()
    with open(out, "w") as f:
        f.write(str(crawler.spider.pages))


if __name__ == "__main__":
    main(*sys.argv[1:])
