"""gkaudit: compliance-checking crawler for Chinese government websites."""
from pathlib import Path

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"
RULES_DIR = CONFIG_DIR / "rules"
