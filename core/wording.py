"""Wording lists: the serious-wording library (config/wording.yaml), a province's additions in the sites file, and a
deployment's list of leader names and titles — read and validated the same way, with file, line and field.

Everything is data with its correct form and its source, so a finding can say what is wrong, what is right and who
says so. An entry is a plain wrong → right pair; a law is its official name with the years of its history (a title
citing another year is wrong); a leader is a name with wrong forms of the name and the titles the person no longer
or never held (expanded into plain entries that count only in content published since the appointment).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from core.resources import CONFIG_DIR
from core.yamlfile import ConfigError, Mapping, load_yaml

CATEGORIES = ("国名/机构名称", "法律法规名称", "行政区划", "政治性表述", "领导人姓名职务")
LEADERS = "领导人姓名职务"
RENAMED = "已变更的行政区划名称"  # WORD-03 (advice): a place renamed or merged away, wrong in what is published since
_RENAMED_FIELDS = {"wrong", "right", "since", "source", "not_before", "note"}
LAWS = "法律法规名称"
MIN_LENGTH = 3  # a wrong form of two characters is found inside too many correct words (习近 → 学习近乎)
_ENTRY_FIELDS = {"wrong", "right", "source", "since", "quoted_ok", "not_before", "note"}
_LEADER_FIELDS = {"name", "title", "since", "wrong_names", "wrong_titles", "source", "note"}
_LAW_FIELDS = {"name", "years", "history", "checked", "source"}


@dataclass(frozen=True)
class Entry:
    """One wrong form: never correct in any context (the precision policy of docs/page-facts.md)."""

    wrong: str
    right: str
    category: str
    source: str
    since: str | None = None  # ISO date: only content published on or after it counts (a leader's new title)
    quoted_ok: bool = False  # correct in quotation marks or after 所谓 (台湾“总统”, 所谓台湾总统)
    not_before: tuple[str, ...] = ()  # not an error when followed by one of these (新疆自治区直辖…)
    former_ok: bool = False  # not an error after 原/时任/曾任/前 (a leader's earlier title)

    def as_dict(self) -> dict:
        """JSON form stored with a site's settings (a run keeps the list it was crawled with)."""
        out = {k: v for k, v in asdict(self).items() if v not in (None, False, ())}
        if self.not_before:
            out["not_before"] = list(self.not_before)
        return out

    @classmethod
    def from_dict(cls, d: dict) -> Entry:
        return cls(d["wrong"], d["right"], d["category"], d["source"], d.get("since"), bool(d.get("quoted_ok")),
                   tuple(d.get("not_before") or ()), bool(d.get("former_ok")))


@dataclass(frozen=True)
class Law:
    """A law or regulation by its official name, and the years of its history (passed, amended, revised, in force).

    A title with a year in brackets (（2018年修正）) that is none of them, and not after `checked` (the year its
    history was verified to), names a version that never existed."""

    name: str
    years: tuple[int, ...]
    history: str
    checked: int
    source: str


@dataclass
class Library:
    outdated: list[str]
    entries: list[Entry]
    laws: list[Law]


def load_library(path: str | Path) -> Library:
    """config/wording.yaml: `outdated` (WORD-01), `serious` (category → entries), `laws`, `leaders` (ships empty),
    `renamed` (WORD-03)."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(path, None, None, "顶层必须是映射（outdated / serious / laws / leaders）")
    outdated = data.get("outdated") or []
    if not isinstance(outdated, list) or not all(isinstance(t, str) and t for t in outdated):
        raise ConfigError(path, data.line_of("outdated"), "outdated", "必须是非空字符串列表")
    entries = read_entries(data, path)
    entries += _renamed(data.get("renamed") or [], path, data.line_of("renamed"))
    laws = _laws(data.get("laws") or [], path, data.line_of("laws"))
    problems = check_entries(entries)
    if problems:
        raise ConfigError(path, data.line_of("serious"), "serious", problems[0])
    return Library(list(outdated), entries, laws)


def library() -> Library:
    """The shipped library (config/wording.yaml), read once."""
    global _LIBRARY
    if _LIBRARY is None:
        _LIBRARY = load_library(CONFIG_DIR / "wording.yaml")
    return _LIBRARY


_LIBRARY: Library | None = None


def read_entries(data: Mapping, path: Path, where: str = "") -> list[Entry]:
    """The `serious:` entries (category → list) and `leaders:` of one mapping (the library, a wording file, a sites
    file's `wording:` section), expanded and validated."""
    entries: list[Entry] = []
    serious = data.get("serious") or {}
    if not isinstance(serious, dict):
        raise ConfigError(path, data.line_of("serious"), f"{where}serious", "必须是 {类别: [词条…]} 映射")
    for category, items in serious.items():
        field = f"{where}serious.{category}"
        if category not in CATEGORIES or category == LEADERS:
            allowed = "、".join(c for c in CATEGORIES if c != LEADERS)
            raise ConfigError(path, serious.line_of(category), field,
                              f"未知的类别（可用：{allowed}；领导人姓名职务写在 leaders: 下）")
        if not isinstance(items, list):
            raise ConfigError(path, serious.line_of(category), field, "必须是词条列表")
        for i, item in enumerate(items):
            entries.append(_entry(item, category, path, f"{field}[{i}]", serious.line_of(category)))
    leaders = data.get("leaders") or []
    if not isinstance(leaders, list):
        raise ConfigError(path, data.line_of("leaders"), f"{where}leaders", "必须是列表")
    for i, item in enumerate(leaders):
        entries += _leader(item, path, f"{where}leaders[{i}]", data.line_of("leaders"))
    return entries


def _text(item: Mapping, key: str, path: Path, field: str, line: int) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(path, item.line_of(key) if key in item else line, f"{field}.{key}", "缺少必填字段或不是文字")
    return value.strip()


def _fields(item, allowed: set[str], path: Path, field: str, line: int) -> Mapping:
    if not isinstance(item, Mapping):
        raise ConfigError(path, line, field, "必须是映射")
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise ConfigError(path, item.line_of(unknown[0]), f"{field}.{unknown[0]}",
                          f"未知字段（可用：{'、'.join(sorted(allowed))}）")
    return item


def _since(item: Mapping, path: Path, field: str) -> str | None:
    value = item.get("since")
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            pass
    if not isinstance(value, date):
        raise ConfigError(path, item.line_of("since"), f"{field}.since", f"必须是日期 YYYY-MM-DD，而不是 {value!r}")
    return value.isoformat()


def _entry(item, category: str, path: Path, field: str, line: int) -> Entry:
    item = _fields(item, _ENTRY_FIELDS, path, field, line)
    line = item.line
    wrong, right = _text(item, "wrong", path, field, line), _text(item, "right", path, field, line)
    source = _text(item, "source", path, field, line)
    not_before = item.get("not_before") or []
    if isinstance(not_before, str):
        not_before = [not_before]
    if not isinstance(not_before, list) or not all(isinstance(s, str) and s for s in not_before):
        raise ConfigError(path, item.line_of("not_before"), f"{field}.not_before", "必须是文字列表")
    entry = Entry(wrong, right, category, source, _since(item, path, field), bool(item.get("quoted_ok")),
                  tuple(not_before))
    _check_one(entry, path, line, field)
    return entry


def _leader(item, path: Path, field: str, line: int) -> list[Entry]:
    """{name, title, since, wrong_names, wrong_titles, source} → plain entries: each wrong name form as written, and
    each wrong title before or after the name (副厅长张三, 张三副厅长 → 厅长张三), counted from `since`, never after
    原/时任/曾任/前."""
    item = _fields(item, _LEADER_FIELDS, path, field, line)
    line = item.line
    name, source = _text(item, "name", path, field, line), _text(item, "source", path, field, line)
    since = _since(item, path, field)
    out = []
    for key in ("wrong_names", "wrong_titles"):
        value = item.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ConfigError(path, item.line_of(key) if key in item else line, f"{field}.{key}", "必须是文字列表")
    titles = item.get("wrong_titles") or []
    title = item.get("title")
    if titles and not (isinstance(title, str) and title.strip()):
        raise ConfigError(path, line, f"{field}.title", "列出 wrong_titles 时必须写明现任职务 title")
    if not titles and not item.get("wrong_names"):
        raise ConfigError(path, line, field, "至少列出 wrong_names 或 wrong_titles 之一")
    for wrong in item.get("wrong_names") or []:
        out.append(Entry(wrong.strip(), name, LEADERS, source))
    for wrong_title in titles:
        wrong_title, right_title = wrong_title.strip(), title.strip()
        if wrong_title == right_title or right_title.endswith(wrong_title):
            raise ConfigError(path, item.line_of("wrong_titles"), f"{field}.wrong_titles",
                              f"「{wrong_title}」是现任职务「{right_title}」的一部分，会在正确的写法中报错")
        out.append(Entry(f"{wrong_title}{name}", f"{right_title}{name}", LEADERS, source, since, former_ok=True))
        out.append(Entry(f"{name}{wrong_title}", f"{name}{right_title}", LEADERS, source, since, former_ok=True))
    for entry in out:
        _check_one(entry, path, line, field)
    return out


def _check_one(entry: Entry, path: Path, line: int, field: str) -> None:
    if entry.wrong == entry.right:
        raise ConfigError(path, line, f"{field}.wrong", "错误写法与正确写法相同")
    if entry.wrong in entry.right:
        raise ConfigError(path, line, f"{field}.wrong",
                          f"错误写法「{entry.wrong}」包含在正确写法「{entry.right}」中，正确的文字也会报错")
    if len(entry.wrong) < MIN_LENGTH:
        raise ConfigError(path, line, f"{field}.wrong",
                          f"错误写法「{entry.wrong}」少于 {MIN_LENGTH} 个字，容易出现在正确的词语中（请写出上下文）")


def check_entries(entries: list[Entry], others: list[Entry] = ()) -> list[str]:
    """Problems between entries (and the library's `others`): a wrong form inside some correct form (it would fire
    on correct text), one wrong form with two different corrections."""
    rights = sorted({e.right for e in [*entries, *others]})
    seen: dict[str, Entry] = {e.wrong: e for e in others}
    problems = []
    for e in entries:
        inside = next((r for r in rights if e.wrong in r), None)
        if inside:
            problems.append(f"错误写法「{e.wrong}」包含在正确写法「{inside}」中，正确的文字也会报错")
        other = seen.get(e.wrong)
        if other is not None and other.right != e.right and other.since == e.since:
            problems.append(f"错误写法「{e.wrong}」有两个正确写法「{other.right}」「{e.right}」")
        seen[e.wrong] = e
    return problems


def _renamed(items, path: Path, line: int) -> list[Entry]:
    """`renamed:` {wrong, right, since, source}: a place name that stopped existing on `since` (renamed, merged,
    a city become a district). Right in what was published before, and after 原/前 or in a 《…》 citation."""
    if not isinstance(items, list):
        raise ConfigError(path, line, "renamed", "必须是列表")
    out = []
    for i, item in enumerate(items):
        field = f"renamed[{i}]"
        item = _fields(item, _RENAMED_FIELDS, path, field, line)
        wrong, right = _text(item, "wrong", path, field, item.line), _text(item, "right", path, field, item.line)
        since = _since(item, path, field)
        if since is None:
            raise ConfigError(path, item.line, f"{field}.since", "必须写明名称停止使用的日期 YYYY-MM-DD")
        not_before = item.get("not_before") or []
        if not isinstance(not_before, list) or not all(isinstance(x, str) and x for x in not_before):
            raise ConfigError(path, item.line_of("not_before"), f"{field}.not_before", "必须是文字列表")
        entry = Entry(wrong, right, RENAMED, _text(item, "source", path, field, item.line), since,
                      not_before=tuple(not_before), former_ok=True)
        _check_one(entry, path, item.line, field)
        out.append(entry)
    return out


def _laws(items, path: Path, line: int) -> list[Law]:
    if not isinstance(items, list):
        raise ConfigError(path, line, "laws", "必须是列表")
    laws, names = [], set()
    for i, item in enumerate(items):
        field = f"laws[{i}]"
        item = _fields(item, _LAW_FIELDS, path, field, line)
        name = _text(item, "name", path, field, item.line)
        years = item.get("years")
        if not isinstance(years, list) or not years or not all(isinstance(y, int) and 1949 <= y <= 2100 for y in years):
            raise ConfigError(path, item.line_of("years") if "years" in item else item.line, f"{field}.years",
                              "必须是年份列表（通过、修正、修订、施行的年份）")
        checked = item.get("checked")
        if not isinstance(checked, int) or checked < max(years) - 1:
            raise ConfigError(path, item.line_of("checked") if "checked" in item else item.line, f"{field}.checked",
                              "必须是核对历次修改所截至的年份（不早于最近一次修改）")
        if not name.startswith("中华人民共和国") or name in names:
            raise ConfigError(path, item.line, f"{field}.name", "必须是以「中华人民共和国」开头的正式名称，且不重复")
        names.add(name)
        laws.append(Law(name, tuple(sorted(set(years))), _text(item, "history", path, field, item.line), checked,
                        _text(item, "source", path, field, item.line)))
    return laws


def site_wording(path: Path, section, line: int, field: str = "wording") -> list[dict]:
    """A sites file's `wording:` section (top level: the province's additions; or a site's own): `serious` and
    `leaders` inline, and `include: [FILE…]` wording files beside the sites file (a deployment's leader list).
    Entries as JSON dicts, stored with each site's settings so a run keeps the list it was crawled with."""
    if section is None:
        return []
    if not isinstance(section, Mapping):
        raise ConfigError(path, line, field, "必须是映射（include / serious / leaders）")
    unknown = sorted(set(section) - {"include", "serious", "leaders"})
    if unknown:
        raise ConfigError(path, section.line_of(unknown[0]), f"{field}.{unknown[0]}",
                          "未知字段（可用：include、serious、leaders）")
    entries = read_entries(section, path, f"{field}.")
    include = section.get("include") or []
    if isinstance(include, str):
        include = [include]
    if not isinstance(include, list) or not all(isinstance(f, str) and f for f in include):
        raise ConfigError(path, section.line_of("include"), f"{field}.include", "必须是文件路径列表")
    for name in include:
        entries += load_wording_file(path.parent / name)
    problems = check_entries(entries, library().entries)
    if problems:
        raise ConfigError(path, line, field, problems[0])
    return [e.as_dict() for e in entries]


def load_wording_file(path: str | Path) -> list[Entry]:
    """A wording file (a deployment's leaders, a province's additions): `serious:` and/or `leaders:`."""
    path = Path(path)
    data = load_yaml(path)
    if data is None:
        return []
    if not isinstance(data, Mapping):
        raise ConfigError(path, None, None, "顶层必须是映射（serious / leaders）")
    unknown = sorted(set(data) - {"serious", "leaders"})
    if unknown:
        raise ConfigError(path, data.line_of(unknown[0]), unknown[0], "未知字段（可用：serious、leaders）")
    return read_entries(data, path)
