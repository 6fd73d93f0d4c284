"""广东政务公开平台 (gkmlpt): the 政府信息公开 platform that Guangdong's government sites share.

Nothing on its pages needs a rule of its own, and this table says so (rather than leaving the family unnamed):
- Documents are /gkmlpt/content/0/1/post_1234.html (and, on the site's own columns, <column>/content/post_N.html):
  the URL carries no date. Their date is in the 信息公开 header table (索引号 … 成文日期 … 发布日期), which the
  generic label rules read (crawler/facts/dates.py), and in the PubDate meta.
- Disclosure pages are extensionless (/gkmlpt/index, /gkmlpt/guide); list pages are paged with plain <a> links
  (index_1.html, or /gkmlpt/fdzdgknr_1), which the crawl follows as any link.
- The article's text is in <div class="article-content">, a class the generic content containers know.
"""
from __future__ import annotations

from .model import CmsFamily

FAMILY = CmsFamily(key="gkmlpt", name="广东政务公开平台（gkmlpt）")
