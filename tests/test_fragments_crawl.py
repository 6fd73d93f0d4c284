"""A homepage whose footer its scripts load (issue 21, static fragments), end to end against its static twin.

The bundled clean-gkmlpt site is the twin. Its JavaScript copies load the homepage footer (网站标识码, ICP备案, 公安备案,
党政机关标识, 找错) with jQuery `.load("/inc/footer.html")`, or write it from `/js/foot_2020.js` with document.write:
a correct audit gives exactly the twin's findings. A copy whose footer file is gone still has no footer: GUIDE-05
reports it, as it would on a static page.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fixtures.server import serve
from tests.conftest import AS_OF, gkaudit

TWIN = Path(__file__).resolve().parent.parent / "fixtures" / "sites" / "clean-gkmlpt"
FOOTER_START, FOOTER_END = '<div class="footer">', "</body>"


def variant(sites: Path, name: str, address: str, how: str) -> None:
    """A copy of the twin on its own address whose homepage footer comes from a file its scripts load."""
    site = sites / name
    shutil.copytree(TWIN, site)
    (site / "site.yaml").write_text((TWIN / "site.yaml").read_text(encoding="utf-8")
                                    .replace("id: clean-gkmlpt", f"id: {name}")
                                    .replace("address: 127.0.0.5", f"address: {address}"), encoding="utf-8")
    index = site / "root" / "index.html"
    page = index.read_text(encoding="utf-8")
    start, end = page.index(FOOTER_START), page.index(FOOTER_END)
    footer = page[start:end]
    if how == "script":
        loader = '<div id="foot"></div><script type="text/javascript" src="/js/foot_2020.js"></script>\n'
        (site / "root" / "js").mkdir(exist_ok=True)
        (site / "root" / "js" / "foot_2020.js").write_text(
            "".join(f"document.write({json.dumps(line, ensure_ascii=False)});\n" for line in footer.splitlines()),
            encoding="utf-8")
    else:
        loader = ('<div id="footer"></div><script>$(function () { $("#footer").load("/inc/footer.html"); '
                  '$("#tempIframe1").load(function () {}); });</script>\n')
        if how == "jquery":
            (site / "root" / "inc").mkdir(exist_ok=True)
            (site / "root" / "inc" / "footer.html").write_text(footer, encoding="utf-8")
    index.write_text(page[:start] + loader + page[end:], encoding="utf-8")


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("fragments")
    sites = work / "sites"
    shutil.copytree(TWIN, sites / "clean-gkmlpt")
    variant(sites, "jq-footer", "127.0.0.61", "jquery")
    variant(sites, "js-footer", "127.0.0.62", "script")
    variant(sites, "no-footer", "127.0.0.63", "missing")
    with serve(sites) as server:
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", work / "out",
                       "--db", f"sqlite:///{work / 'gk.db'}", "--delay", "0", "--quiet", timeout=600)
        urls = server.urls
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads((work / "out" / "findings.json").read_text(encoding="utf-8"))
    by_site: dict[str, set] = {}
    for f in data["findings"]:
        by_site.setdefault(f["site"], set()).add((f["rule"], f["kind"], f["url"].replace(urls[f["site"]], "/")))
    return by_site, data


@pytest.mark.parametrize("site", ["jq-footer", "js-footer"])
def test_a_footer_loaded_by_scripts_gives_the_findings_of_its_static_twin(audited, site):
    by_site, _ = audited
    assert by_site.get(site, set()) == by_site.get("clean-gkmlpt", set())


def test_a_footer_file_that_is_gone_is_still_a_missing_footer(audited):
    by_site, data = audited
    missing = by_site["no-footer"] - by_site.get("clean-gkmlpt", set())
    assert ("GUIDE-05", "identifier-missing", "/") in missing
    assert ("GWS-DLINK", "link-broken", "/inc/footer.html") in missing  # the page loads a file that is not there
