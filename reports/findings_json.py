"""findings.json: the public machine-readable contract of design.md, nothing more and nothing less.

Its shape is `AuditResult.contract()` (checks/result.py): design.md's, plus each finding's stable `id`
(fingerprint) and lifecycle `status` (new / open / reopened / waived), and `resolved`: findings of the site's
previous audit that are gone.
"""
from __future__ import annotations

import json
from pathlib import Path

from checks.result import AuditResult

from .text import clean_json

NAME = "findings.json"


def write(out_dir: Path, result: AuditResult) -> Path:
    path = out_dir / NAME
    path.write_text(json.dumps(clean_json(result.contract()), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
