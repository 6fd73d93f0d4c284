"""The HTML reports in a real browser: Debian's headless chromium renders each page of the sample result,
takes a screenshot, and the test fails on console errors (or failed loads, uncaught exceptions) and on a
table wider than the viewport or a cell whose content overflows it.

The negative tests prove the checks bite: a page with a deliberately too-wide row, one whose table may grow
past the viewport, and one that logs a console error must all be reported.
"""

from __future__ import annotations

import os
import shutil

import pytest

from .browser import CHROMIUM, Browser

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") or os.access(CHROMIUM, os.X_OK)),
    reason="chromium not installed (make install adds it with apt-get: chromium fonts-noto-cjk)")

PAGES = ["index.html", "sthjt-trs/整改清单.html", "hbj-city/整改清单.html", "hbj-county/整改清单.html"]


@pytest.fixture(scope="module")
def browser():
    with Browser() as b:
        yield b


def problems(report: dict) -> list[str]:
    return report["errors"] + report["overflow"]


def assert_renders_cleanly(report: dict, page) -> None:
    assert not problems(report), f"{page}: " + "; ".join(problems(report))


@pytest.mark.parametrize("page", PAGES)
def test_report_page_renders_cleanly(browser, written, tmp_path, page):
    out, _ = written
    shot = tmp_path / "screenshot.png"
    report = browser.check(out / page, screenshot=shot)
    assert_renders_cleanly(report, page)
    assert report["tables"] >= 1
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000  # a real, non-blank screenshot
    if page == "index.html":
        assert report["svgs"] == 3  # one trend sparkline per site


def _variant(written, tmp_path, name: str, old: str, new: str):
    out, _ = written
    raw = (out / "sthjt-trs" / "整改清单.html").read_text(encoding="utf-8")
    assert old in raw
    page = tmp_path / name
    page.write_text(raw.replace(old, new, 1), encoding="utf-8")
    return page


def test_too_wide_row_is_caught(browser, written, tmp_path):
    page = _variant(written, tmp_path, "wide.html", '<tr class="finding',
                    '<tr class="too-wide"><td colspan="13"><span style="display:inline-block;width:3000px">'
                    '超宽内容</span></td></tr>\n<tr class="finding')
    report = browser.check(page)
    assert any("超宽内容" in p and "content" in p for p in report["overflow"]), report
    with pytest.raises(AssertionError, match="超宽内容"):
        assert_renders_cleanly(report, page.name)


def test_table_growing_past_the_viewport_is_caught(browser, written, tmp_path):
    # Without the fixed layout and wrapping of style.css, long unbreakable text widens the whole table.
    page = _variant(written, tmp_path, "auto.html", "</style>",
                    "table.list { table-layout: auto; } th, td { white-space: nowrap; overflow-wrap: normal; "
                    "word-break: normal; }</style>")
    report = browser.check(page)
    assert any(p.startswith("table #") and "(list)" in p for p in report["overflow"]), report
    with pytest.raises(AssertionError):
        assert_renders_cleanly(report, page.name)


def test_console_errors_and_failed_loads_are_caught(browser, written, tmp_path):
    page = _variant(written, tmp_path, "errors.html", "</body>",
                    '<script>console.error("报告出错")</script><img src="missing.png" alt=""></body>')
    report = browser.check(page)
    assert "console.error: 报告出错" in report["errors"]
    assert any("missing.png" in e for e in report["errors"]), report["errors"]
    with pytest.raises(AssertionError):
        assert_renders_cleanly(report, page.name)
