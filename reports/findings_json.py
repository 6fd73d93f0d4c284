"""findings.json: the public machine-readable contract of design.md, nothing more and nothing less.

Additive to design.md's shape: each finding's stable `id` (fingerprint) and lifecycle `status`
(new / open / reopened / waived), and `resolved`: findings of the site's previous audit that are gone.
"""
from __future__ import annotations

import json
from pathlib import Path

SITE_KEYS = ("site", "verdict", "score", "not_tested")
FINDING_KEYS = ("site", "rule", "kind", "severity", "url", "parent_url", "message", "evidence", "id", "status")


def contract(result: dict) -> dict:
    return {
        "as_of": result["as_of"],
        "sites": [{k: s[k] for k in SITE_KEYS} for s in result["sites"]],
        "findings": [{k: f[k] for k in FINDING_KEYS} for f in result["findings"]],
        "resolved": result.get("resolved", []),
    }


def write_findings_json(out_dir: Path, result: dict) -> Path:
    path = out_dir / "findings.json"
    path.write_text(json.dumps(contract(result), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
