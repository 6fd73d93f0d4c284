"""Site identity in the footer and metadata: 网站标识码, ICP备案, 公安备案, 找错 sitecode, conac badge.

47号 requires all of them in the footer and the 找错 embed must carry the site's own 标识码, so
besides reading each one we report where two sources disagree (in Chinese: webmasters read it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

PROVINCES = "京津沪渝冀豫云滇辽黑湘皖鲁新苏浙赣鄂桂甘陇晋蒙陕秦吉闽贵黔粤青藏川蜀宁琼港澳台"  # 滇 黔 陇 蜀 秦 too

SITE_CODE = re.compile(r"^(?:bm\d{8}|\d{10})$", re.I)
_FOOTER_CODE = re.compile(r"网站标识码\s*[:：]?\s*(bm\d{8}|\d{10})(?![0-9])", re.I)
# 蜀ICP备19007388号, 蜀ICP备：19007388号, 京ICP备案号: 05007181号 (a colon or spaces after 备/备案/备案号)
_ICP = re.compile(rf"([{PROVINCES}])\s*ICP\s*备(?:\s*案)?(?:\s*号)?\s*[:：]?\s*(\d{{4,12}})(?!\d)\s*(号)?"
                  rf"(?:\s*[-－—]\s*(\d{{1,3}})(?!\d))?", re.I)
_POLICE = re.compile(r"(?:公网安备|公安备案?|公安机关备案)\s*(?:号)?\s*[:：]?\s*(\d{14})(?!\d)")
_RECORDCODE = re.compile(r"recordcode=(\d{14})(?!\d)")
CONAC_MARKS = ("_ideConac", "dcs.conac.cn", "bszs.conac.cn")
# 找错 entrances besides the <script id="_jiucuo_" sitecode> embed: a link to the 找错 page with the site's code
# (…/exposure/jiucuo.html?site_code=…, jiucuo.php?site_code=…, also in onclick and document.write), a script
# variable beside such a link (var site_code = '…'), a data-setting="{sitecode:'…'}" widget.
_JIUCUO_LINK = re.compile(r"jiucuo\.\w+\?[^\"'\s<>]*?\bsite_?code=([A-Za-z0-9]{4,20})(?![A-Za-z0-9])", re.I)
_JIUCUO_SETTING = re.compile(r"\bsite_?code\s*['\"]?\s*[:=]\s*['\"]?([A-Za-z0-9]{4,20})(?![A-Za-z0-9])", re.I)
_JIUCUO_ATTRS = "//@*[contains(., 'jiucuo') or contains(., 'JIUCUO') or contains(., 'Jiucuo')]"


@dataclass
class Identifiers:
    site_id_code: str | None = None
    icp: str | None = None
    police_record: str | None = None
    jiucuo_sitecode: str | None = None
    disagreements: list[str] = field(default_factory=list)


def read(text: str, meta_code: str | None, jiucuo: str | None, beian_hrefs: list[str]) -> Identifiers:
    """text: the page's visible text; meta_code: <meta name=SiteIDCode>; jiucuo: the _jiucuo_ sitecode;
    beian_hrefs: hrefs pointing at beian.gov.cn."""
    ids = Identifiers(jiucuo_sitecode=jiucuo.strip() if jiucuo else None)
    notes = ids.disagreements

    footer = None
    if "标识码" in text:
        m = _FOOTER_CODE.search(text)
        footer = m.group(1).lower() if m else None
    meta = meta_code.strip().lower() if meta_code and SITE_CODE.match(meta_code.strip()) else None
    ids.site_id_code = meta or footer
    if meta and footer and meta != footer:
        notes.append(f"元数据 SiteIDCode {meta} 与页脚网站标识码 {footer} 不一致")
    if ids.jiucuo_sitecode and ids.site_id_code and ids.jiucuo_sitecode.lower() != ids.site_id_code:
        notes.append(f"找错 sitecode {ids.jiucuo_sitecode} 与网站标识码 {ids.site_id_code} 不一致")

    if "ICP" in text or "icp" in text:
        for m in _ICP.finditer(text):
            province, number, hao, sub = m.groups()
            shown = f"{province}ICP备{number}"
            if hao and 6 <= len(number) <= 10:
                ids.icp = f"{shown}号" + (f"-{sub}" if sub else "")
                break
            notes.append(f"ICP备案号格式不完整：{shown}")

    m = _POLICE.search(text) if "备" in text else None
    linked = next((r.group(1) for h in beian_hrefs if (r := _RECORDCODE.search(h))), None)
    ids.police_record = m.group(1) if m else linked
    if m and linked and linked != m.group(1):
        notes.append(f"公安备案号 {m.group(1)} 与备案链接 recordcode {linked} 不一致")
    return ids


def jiucuo_entrance(root, scripts: list[str]) -> str | None:
    """The sitecode of a 找错 entrance written as a link or a script (call it only on a page that mentions
    jiucuo): a jiucuo page URL's site_code in an attribute (href, onclick, src), then in a script, then a script's
    site_code variable or a data-setting's sitecode. A search box's siteCode on a page without 找错 is not one."""
    for value in root.xpath(_JIUCUO_ATTRS):
        if m := _JIUCUO_LINK.search(value):
            return m.group(1)
    talking = [script for script in scripts if "jiucuo" in script.lower()]
    for script in talking:
        if m := _JIUCUO_LINK.search(script):
            return m.group(1)
    for value in talking + root.xpath("//@data-setting"):
        if m := _JIUCUO_SETTING.search(value):
            return m.group(1)
    return None
