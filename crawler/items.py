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
    document = scrapy.Field()  # an attachment read for the rules: crawler.documents.stored (page.extra["document"])
    probe = scrapy.Field()  # a request for a page that cannot exist: how the site answers "not found"
    external = scrapy.Field()  # a link target on another host (checked once per run)
    body = scrapy.Field()  # the HTML as fetched (kept as an evidence snapshot), None for other responses
    etag = scrapy.Field()  # validators of an HTML answer, for the next audit's conditional requests
    last_modified = scrapy.Field()


class ConfirmItem(scrapy.Item):
    """The second attempt at a URL whose first answer looked broken (404/410/5xx/refused), after a delay."""

    site = scrapy.Field()
    url = scrapy.Field()
    status = scrapy.Field()
    error = scrapy.Field()


class UnchangedItem(scrapy.Item):
    """A page unchanged since the site's previous audit — the server answered 304, or it is still fresh by HTTP's
    heuristic and was not asked (crawler.revalidate): its observations are copied from that run, not re-parsed."""

    site = scrapy.Field()
    urls = scrapy.Field()  # one page (304), or every fresh page reached from one answer
    previous_run = scrapy.Field()
    validated = scrapy.Field()  # True: answered 304 now (fetched_at becomes now); False: fresh, not asked
