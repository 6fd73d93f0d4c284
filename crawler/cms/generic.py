"""What bureau sites share whatever CMS writes them: the 网页设计规范 metadata, the publish-date metadata other
tools write, and the class names common templates give the box that holds an article's text.

- 《政府网站网页设计规范》 asks every page for <meta name> tags (SiteName, SiteDomain, SiteIDCode on every page,
  ColumnName … on column pages, ArticleTitle, PubDate, ContentSource on articles); GUIDE-04 checks them.
- PubDate is the standard's publish date, so it is trusted first; then the names other CMSs and tools write
  (publishdate, firstpublishedtime, Dublin Core, Open Graph). Generation times (MakeTime, createDate) are not
  publish dates and are not listed.
"""
from __future__ import annotations

from .model import CmsFamily

FAMILY = CmsFamily(
    key="generic",
    name="通用（任何内容管理系统）",
    content_containers=(r"article[-_]?content", r"content[-_]article", r"detailcontent"),
    date_metas=("pubdate", "publishdate", "firstpublishedtime", "originalpublishdate", "published", "publishtime",
                "publish_time", "article:published_time", "dc.date.created", "dc.date", "dcterms.created"),
    page_metas=("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
                "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description",
                "Image", "Url"),
)
