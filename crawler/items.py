"""Items: the only things the spider hands to the pipelines."""
import scrapy


class PageItem(scrapy.Item):
    """One fetched (or failed) URL of a site, with the facts extracted from it."""

    site = scrapy.Field()
    url = scrapy.Field()  # as linked/requested
    final_url = scrapy.Field()
    status = scrapy.Field()  # int or None
    error = scrapy.Field()  # None, "timeout", "dns", "refused", "robots", ...
    content_type = scrapy.Field()
    length = scrapy.Field()
    depth = scrapy.Field()
    is_home = scrapy.Field()
    referer = scrapy.Field()
    anchor = scrapy.Field()
    fetched_at = scrapy.Field()
    facts = scrapy.Field()  # crawler.facts.PageFacts or None (non-HTML, error)


class SiteDoneItem(scrapy.Item):
    """Emitted once per site when its crawl ends: what the crawl itself observed."""

    site = scrapy.Field()
    pages = scrapy.Field()
    budget_exhausted = scrapy.Field()
    finished = scrapy.Field()
