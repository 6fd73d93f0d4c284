"""gkaudit: compliance-checking crawler for Chinese government websites."""
from pathlib import Path

from gkaudit.resources import config_dir

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = config_dir()  # the repository's config/, or the copy inside an installed package or Scrapyd egg
RULES_DIR = CONFIG_DIR / "rules"
