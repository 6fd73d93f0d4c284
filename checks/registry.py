"""The check types rules may name in their `check:` field, discovered from checks/types.

Each module of checks/types defines one CheckType subclass; the module's name is the key rules use
(`check: column_fresh` → checks/types/column_fresh.py). Adding a check type is adding a module.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil

from checks import types as _types
from checks.base import CheckType


def _discover() -> dict[str, CheckType]:
    found = {}
    for info in sorted(pkgutil.iter_modules(_types.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{_types.__name__}.{info.name}")
        classes = [c for _, c in inspect.getmembers(module, inspect.isclass)
                   if issubclass(c, CheckType) and c is not CheckType and c.__module__ == module.__name__]
        if len(classes) != 1:
            raise RuntimeError(f"checks/types/{info.name}.py must define exactly one CheckType, not {len(classes)}")
        found[info.name] = classes[0]()
    return found


CHECKS: dict[str, CheckType] = _discover()
