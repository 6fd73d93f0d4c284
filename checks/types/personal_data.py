"""personal_data: no page shows personal data (ID numbers with a valid checksum, mobile numbers)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot, ocr_confidence


class PersonalData(CheckType):
    """Pages whose content shows personal data (ID numbers with a valid checksum, mobile numbers), masked in evidence.
    Attachments the crawl read count as pages (a 公示 list or a 处罚决定书 in XLS/PDF), with the page numbers."""

    def validate(self, params):
        types = params.get("types")
        return None if types and set(types) <= {"id_number", "mobile"} else "params.types 取自 id_number、mobile"

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        labels = {"id_number": "身份证号码", "mobile": "手机号码"}
        result = CheckResult()
        for page in snap.ok_pages():
            document = (page.extra or {}).get("document") or {}
            found = [d for d in [*(page.personal_data or []), *(document.get("personal") or [])]
                     if d.get("type") in rule.params["types"]]
            if found:
                kinds = "、".join(sorted({labels[d["type"]] for d in found}))
                where = "附件" if document else ""
                pages = sorted({d["page"] for d in found if d.get("page")})
                on = f"第 {'、'.join(map(str, pages[:5]))} 页" if pages else ""
                items = []
                for d in found[:5]:
                    item = {"type": labels[d["type"]], "masked": d.get("masked"), "snippet": d.get("snippet")}
                    if d.get("page"):
                        item["page"] = d["page"]
                        if (confidence := ocr_confidence(document, d["page"])) is not None:
                            item["ocr_confidence"] = confidence  # read by OCR (--ocr) from a scanned page
                    items.append(item)
                read = sorted({i["ocr_confidence"] for i in items if "ocr_confidence" in i})
                how = f"（文字识别，置信度 {read[0]}%）" if read else ""
                result.hits.append(Hit(
                    page.url, f"{where}「{page.title or page.url}」{on}公开了 {len(found)} 处个人信息（{kinds}）{how}",
                    {"title": page.title, "items": items},
                ))
        return result
