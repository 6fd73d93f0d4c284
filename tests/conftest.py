"""Shared helpers: run the real `gkaudit` command as a user would."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GKAUDIT = str(Path(sys.executable).with_name("gkaudit"))
AS_OF = "2026-11-20"  # the bundled fixture sites are dated for this day


def gkaudit(*args, timeout=300, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([GKAUDIT, *map(str, args)], capture_output=True, text=True, timeout=timeout, **kwargs)


@pytest.fixture
def run_gkaudit():
    return gkaudit
