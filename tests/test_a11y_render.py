"""GUIDE-12a/b in Debian's chromium: axe-core injected into fixture homepages (fixtures/a11y/) finds images without
alt, low-contrast text, an input without a label and a page without lang, and nothing on the clean twin; a pop-up
covering the window is measured, a 返回顶部 button and a cookie bar under the threshold are not. On a homepage the
keyboard is tried: focus stops whose focus style was removed, and a carousel that keeps Tab to itself, are reported;
a site's own focus style (a shadow, a background, a skip link shown on focus) is not.

The crawl's own path (the middleware samples the homepage, the page fact reaches the rules) is
tests/test_a11y_crawl.py."""
from __future__ import annotations

import asyncio
import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.render.browser import Budget, Renderer

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "a11y"
CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and os.environ.get("CI") != "true":
    pytest.skip("chromium 未安装（make install 会安装）", allow_module_level=True)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def checked():
    server = ThreadingHTTPServer(("127.0.0.151", 0), functools.partial(Quiet, directory=str(PAGES)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = "http://127.0.0.151:%d/" % server.server_address[1]

    async def run():
        renderer = Renderer(Budget(10, 100.0), 30.0, "gkaudit-test")
        try:
            found = {name: await renderer.accessibility(base + name + ".html", 30.0)
                     for name in ("failing", "passing", "popup", "near-miss")}
            for name in ("passing", "focus-hidden", "focus-custom", "focus-trap", "focus-navigates"):  # Tab too
                found["keyboard-" + name] = await renderer.accessibility(base + name + ".html", 30.0, keyboard=True)
            return found
        finally:
            await renderer.close()

    try:
        yield asyncio.run(run())
    finally:
        server.shutdown()


def rules(result: dict) -> set[str]:
    return {v["id"] for v in result["violations"]}


def test_axe_finds_the_failures_of_the_failing_homepage(checked):
    found = checked["failing"]
    assert "error" not in found
    assert {"image-alt", "color-contrast", "label", "html-has-lang"} <= rules(found)
    images = next(v for v in found["violations"] if v["id"] == "image-alt")
    assert images["count"] == 2 and images["wcag"] and images["examples"][0]["html"].startswith("<img")
    assert found["axe"] == "4.14.1" and found["seconds"] > 0


def test_the_clean_twin_passes(checked):
    assert checked["passing"]["violations"] == []
    assert checked["passing"]["popups"] == []


def test_a_popup_covering_the_window_is_measured(checked):
    popups = checked["popup"]["popups"]
    assert popups[0]["share"] == 1.0 and popups[0]["z"] == 9998  # the mask over the whole window
    ad = next(p for p in popups if p["z"] == 9999)
    assert 0.3 < ad["share"] < 0.4 and ad["text"].startswith("热烈庆祝全市生态环境工作会议召开 <b>")


def test_a_back_to_top_button_and_a_cookie_bar_are_not_popups(checked):
    popups = checked["near-miss"]["popups"]
    assert all(p["share"] < 0.3 or p["z"] < 10 for p in popups)  # the page wrapper is absolute, but below the page
    assert not any("返回顶部" in p["text"] or "Cookie" in p["text"] for p in popups)


def keyboard_rules(result: dict) -> dict:
    return {v["id"]: v for v in result["violations"] if v.get("source") == "keyboard"}


def test_the_keyboard_walk_of_a_clean_homepage_finds_nothing(checked):
    found = checked["keyboard-passing"]
    assert keyboard_rules(found) == {}
    assert found["keyboard"]["stops"] == found["keyboard"]["tabbable"] == 4  # image link, input, submit, link


def test_focus_stops_without_a_visible_focus_style_are_reported(checked):
    failures = keyboard_rules(checked["keyboard-focus-hidden"])
    assert set(failures) == {"focus-visible"}
    assert failures["focus-visible"]["count"] == 6  # 3 navigation links, input, button, link
    assert failures["focus-visible"]["wcag"] == ["wcag247"]
    assert failures["focus-visible"]["examples"][0]["html"].startswith('<a href="/xxgk/">')


def test_a_focus_style_of_the_sites_own_is_a_visible_focus(checked):
    found = checked["keyboard-focus-custom"]
    assert keyboard_rules(found) == {}
    assert found["keyboard"]["stops"] == 7  # the skip link first: off screen until focused


def test_focus_kept_in_a_carousel_is_a_keyboard_trap(checked):
    failures = keyboard_rules(checked["keyboard-focus-trap"])
    assert set(failures) == {"keyboard-trap"}
    assert failures["keyboard-trap"]["count"] == 2 and failures["keyboard-trap"]["impact"] == "critical"
    assert "图片新闻一" in failures["keyboard-trap"]["examples"][0]["html"]


def test_the_keyboard_is_tried_on_the_homepage_only(checked):
    assert "keyboard" not in checked["passing"] and "keyboard" in checked["keyboard-passing"]


def test_a_focus_stop_that_leaves_the_page_loses_the_walk_not_axes_results(checked):
    found = checked["keyboard-focus-navigates"]
    assert found["keyboard"]["error"] in ("navigated", "failed") and keyboard_rules(found) == {}
    assert isinstance(found["violations"], list) and "error" not in found
