"""YAML loading that remembers line numbers, so config errors can name file, line and field."""
from __future__ import annotations

from pathlib import Path

import yaml


class ConfigError(Exception):
    """A user-supplied file is wrong; the message names file, line and field."""

    def __init__(self, path: str | Path, line: int | None, field: str | None, message: str):
        self.path, self.line, self.field = str(path), line, field
        where = f"{self.path}:{line}" if line else self.path
        what = f" 字段 '{field}'" if field else ""
        super().__init__(f"{where}:{what} {message}")


class ConfigErrors(ConfigError):
    """Every problem found in the user's files and flags at once (one per line), so one run of the command shows
    all that must be fixed; a ConfigError like any other to its callers."""

    def __init__(self, errors: list[ConfigError]):
        self.errors = list(errors)
        first = self.errors[0]
        self.path, self.line, self.field = first.path, first.line, first.field
        Exception.__init__(self, "\n".join(str(e) for e in self.errors))

    @staticmethod
    def raise_all(errors: list[ConfigError]) -> None:
        """Raise the one error, or all of them together; nothing when there are none."""
        flat = [e for error in errors for e in (error.errors if isinstance(error, ConfigErrors) else [error])]
        if len(flat) == 1:
            raise flat[0]
        if flat:
            raise ConfigErrors(flat)


def collect(errors: list[ConfigError], load, *args):
    """load(*args), or None with its ConfigError(s) added to errors: to report every problem at once."""
    try:
        return load(*args)
    except ConfigError as exc:
        errors.append(exc)
        return None


class Mapping(dict):
    """A dict that knows the line of each key (1-based) and of itself."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            result[key] = loader.construct_object(value_node, deep=True)
        except TypeError:  # {[1, 2]: x}: a list or mapping cannot be a key
            raise ConfigError(getattr(loader, "path", ""), line, None,
                              f"映射的键必须是文字或数字，而不是 {key!r}") from None
        result.key_lines[key] = line
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: str | Path):
    """Parse a YAML file; a syntax error becomes a ConfigError with its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, None, None, "文件不存在") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, None, None, f"不是 UTF-8 编码: {exc}") from None
    loader = _Loader(text)
    loader.path = path  # for errors raised while constructing (an unusable key)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        # An unclosed bracket fails at the end of the file; the line where it opened is the useful one.
        mark = exc.context_mark if exc.context_mark and "stream end" in str(exc.problem) else exc.problem_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(path, line, None, f"YAML 语法错误: {exc.problem}") from None
    finally:
        loader.dispose()


def require(mapping: Mapping, key: str, path: Path, types: type | tuple, where: str = ""):
    """Fetch a required field of the right type or raise a ConfigError naming it."""
    if not isinstance(mapping, dict) or key not in mapping or mapping[key] in (None, ""):
        line = mapping.line if isinstance(mapping, Mapping) else None
        raise ConfigError(path, line, key, f"{where}缺少必填字段")
    value = mapping[key]
    if not isinstance(value, types):
        raise ConfigError(path, mapping.line_of(key), key, f"{where}类型错误: {value!r}")
    return value
