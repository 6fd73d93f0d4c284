"""Page facts: what gkaudit observes on one page (see model.py for the contract)."""
from .decode import decode
from .extract import extract
from .model import Link, ListItem, PageFacts
from .version import FACTS_VERSION

__all__ = ["extract", "decode", "Link", "ListItem", "PageFacts", "FACTS_VERSION"]
