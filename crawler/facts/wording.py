"""Listed terms in a page's content: outdated institution names (WORD-01) and serious wording errors (WORD-02).

The vocabulary is config/wording.yaml (core.wording), plus the additions of the page's site (a province's entries, a
deployment's leader list: the sites file's `wording:`), compiled once per distinct list into one trie-shaped regular
expression: a page is scanned once, whatever the number of entries.

An outdated name is not reported where it is not the old institution's name:
- part of a current name: preceded by 生态 (生态环境保护局, 生态环保局);
- a different word made with its last character: 环境保护部门, 环境保护部署, 环境保护部分, 环境保护局面 …;
- explicitly the former name (原环境保护部) or a citation: inside 《…》, or 环境保护部令 (a document number).
A serious entry is wrong wherever it occurs (the library's precision policy), except where the entry itself says
otherwise: followed by one of its `not_before` words (a law's name before 草案 or 法规汇编 always is), in quotation
marks or after 所谓 when `quoted_ok`, after 原/时任/曾任/前 for a leader's earlier title. A law title citing a version
year its history does not have (《中华人民共和国环境保护法（2018年修正）》) is a serious error too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core.wording import LAWS, RENAMED, Entry, library

from .personal import snippet

MAX_HITS = 20  # per list
_CURRENT_PREFIX = "生态"
_OTHER_WORDS = {"部门", "部署", "部分", "部位", "部队", "部令", "局面", "局势", "局部", "局限", "厅堂"}
_CITATION_WINDOW = 60
# After a law's wrong name: a draft had other names (循环经济法草案), and 法律/法规汇编 makes it another title.
_LAW_NOT_BEFORE = ("草案", "（草案", "(草案", "》（草案", "》(草案", "修订草案", "修正草案", "律", "规")
_OPEN_QUOTES, _CLOSE_QUOTES = "“「『‘\"", "”」』’\""
_FORMER = ("原", "前", "时任", "曾任")
_RENAMING = ("更名", "改名", "撤销", "撤市", "撤县", "并入", "划归", "合并", "整体", "改设", "改为")
_LAW_PREFIX = "中华人民共和国"
# （2018年修正） （2014修订） 【2018年修订】 （2017年第三次修正）: the bracket, the year, the kind of change — read
# backwards from 修订/修正/修改 over the few characters before it.
_VERSION = re.compile(r"([（(【\[])\s*((?:19|20)\d\d)\s*年?\s*(?:第[一二三四五六七八九十]次)?\s*$")
_CHANGES = ("修订", "修正", "修改")
_DRAFT = ("草案", "稿", "案", "征求意见", "意见稿")  # （2011年修订草案）, 修正案, 修改稿: a draft, not a version


@dataclass(frozen=True)
class Vocabulary:
    pattern: re.Pattern | None  # every term, outdated and serious, as one trie-shaped alternation
    terms: dict  # term → its Entry, or None for an outdated name
    laws: dict  # short name (without 中华人民共和国) → core.wording.Law


def _trie_pattern(words) -> str:
    """One regex for many literal words, factored by common prefixes (环境保护(?:厅|局|部)): at each position the
    engine follows one path instead of trying every word. Longer words win where one is a prefix of another."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def walk(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return walk(trie)


def compile_vocabulary(outdated, entries, laws) -> Vocabulary:
    terms: dict = {}
    for entry in entries:
        terms.setdefault(entry.wrong, entry)  # the library first: a site cannot redefine an entry
    for term in outdated:
        terms.setdefault(str(term), None)
    terms = {t: e for t, e in terms.items() if t}
    pattern = re.compile(_trie_pattern(terms)) if terms else None
    return Vocabulary(pattern, terms, {law.name.removeprefix(_LAW_PREFIX): law for law in laws})


@lru_cache(maxsize=64)
def _compiled(additions: tuple[Entry, ...]) -> Vocabulary:
    shipped = library()
    return compile_vocabulary(shipped.outdated, shipped.entries + list(additions), shipped.laws)


def vocabulary(additions: list[dict] | None = None) -> Vocabulary:
    """The shipped library with a site's additions (Site.settings["wording"]), compiled once per distinct list."""
    return _compiled(tuple(Entry.from_dict(d) for d in additions or ()))


def _not_the_old_name(text: str, start: int, end: int) -> bool:
    if text.endswith(_CURRENT_PREFIX, max(0, start - 2), start) or _FORMER_NAME.search(text, max(0, start - 9), start):
        return True
    if text[end - 1:end + 1] in _OTHER_WORDS:
        return True
    return _in_citation(text, start)


def _in_citation(text: str, start: int) -> bool:
    """Inside a 《…》 title: an old name there is the document's own title, cited as it was."""
    opened = text.rfind("《", max(0, start - _CITATION_WINDOW), start)
    return opened >= 0 and "》" not in text[opened:start]


def _renamed_excused(text: str, start: int, end: int) -> bool:
    """A renamed place said as such (襄樊市更名为襄阳市, 撤销…), cited, or a word that only starts with it (…市场,
    …区域)."""
    return (text.startswith(_RENAMING, end) or _in_citation(text, start)
            or text[end - 1:end + 1] in ("市场", "区域", "县域", "市民"))


# 原东湖区环境保护局 / 会同原环境保护部: the former name, said as such. A 原 followed by 市/县/区… ends a place name
# (太原市, 平原县, 中原区), and the old name after it is still reported.
_FORMER_NAME = re.compile(r"原(?![市县区州旗盟镇乡])[\u4e00-\u9fff]{0,8}$")


def _quoted(text: str, start: int, end: int) -> bool:
    """In quotation marks (“台湾总统”) or after 所谓: how the style guides allow such a term to be cited."""
    if "所谓" in text[max(0, start - 4):start]:
        return True
    window = text[max(0, start - 20):start]
    opened = max(window.rfind(q) for q in _OPEN_QUOTES)
    if opened < 0 or any(q in window[opened + 1:] for q in _CLOSE_QUOTES if q != window[opened]):
        return False
    after = text[end:end + 20]
    return any(q in after for q in _CLOSE_QUOTES)


def _excused(entry: Entry, text: str, start: int, end: int) -> bool:
    """True where the entry's own context rules make the match a correct use."""
    if entry.not_before and text.startswith(entry.not_before, end):
        return True
    if entry.category == LAWS and text.startswith(_LAW_NOT_BEFORE, end):
        return True
    if entry.quoted_ok and _quoted(text, start, end):
        return True
    if entry.category == RENAMED and _renamed_excused(text, start, end):
        return True
    return entry.former_ok and text[max(0, start - 2):start].endswith(_FORMER)


def _serious(entry: Entry, term: str, text: str, start: int, end: int) -> dict:
    hit = {"term": term, "list": "renamed" if entry.category == RENAMED else "serious", "right": entry.right, "category": entry.category,
           "source": entry.source, "snippet": snippet(text, start, end)}
    if entry.since:
        hit["since"] = entry.since
    return hit


def _law_versions(text: str, laws: dict) -> list[dict]:
    """Law titles citing a version year their history does not have. Driven by str.find of 修订/修正/修改 (rare
    words), each read backwards: the bracketed year, then the law's name right before it (after 《 or 中华人民共和国,
    so 海洋环境保护法 is never read as 环境保护法)."""
    out, seen = [], set()
    for change in _CHANGES:
        i = text.find(change)
        while i >= 0:
            m = _VERSION.search(text, max(0, i - 16), i) if not text.startswith(_DRAFT, i + 2) else None
            if m:
                name_end = m.start()
                if text.startswith("》", name_end - 1):
                    name_end -= 1
                for short, law in laws.items():
                    if not text.endswith(short, 0, name_end):
                        continue
                    before = name_end - len(short)
                    if not (text.endswith("《", 0, before) or text.endswith(_LAW_PREFIX, 0, before)):
                        continue
                    year = int(m.group(2))
                    if year > law.checked or year in law.years:
                        break
                    start = before - (len(_LAW_PREFIX) if text.endswith(_LAW_PREFIX, 0, before) else 0)
                    start -= text.endswith("《", 0, start)
                    end = i + len(change) + (text[i + len(change):i + len(change) + 1] in "）)】]")
                    end += text.startswith("》", end)
                    term = text[start:end]
                    if term not in seen:
                        seen.add(term)
                        out.append({"term": term, "list": "serious", "right": f"《{law.name}》：{law.history}",
                                    "category": LAWS, "source": law.source, "snippet": snippet(text, start, end)})
                    break
            i = text.find(change, i + 2)
    return out


def hits(text: str, vocab: Vocabulary | None = None) -> list[dict]:
    """{"term", "list", "snippet"} for each occurrence, in order of appearance: outdated names each time (at most
    20), serious errors once per wrong form (at most 20) with "right", "category", "source" and, for a leader's
    title, "since"."""
    vocab = vocab or vocabulary()
    if vocab.pattern is None:
        return []
    outdated, serious, seen = [], [], set()
    terms = vocab.terms
    for m in vocab.pattern.finditer(text):
        term = m.group()
        entry = terms[term]
        if entry is None:
            if len(outdated) < MAX_HITS and not _not_the_old_name(text, m.start(), m.end()):
                outdated.append({"term": term, "list": "outdated", "snippet": snippet(text, m.start(), m.end())})
        elif term not in seen and len(serious) < MAX_HITS and not _excused(entry, text, m.start(), m.end()):
            seen.add(term)
            serious.append(_serious(entry, term, text, m.start(), m.end()))
    if vocab.laws and ("修订" in text or "修正" in text or "修改" in text):
        serious += _law_versions(text, vocab.laws)[:MAX_HITS - len(serious)]
    return outdated + serious
