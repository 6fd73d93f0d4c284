"""Build hook only (metadata is in pyproject.toml): ship config/ inside the built package as gkaudit/config/.

The repository keeps config/ at the top level, where auditors edit it. A wheel or a Scrapyd egg
(`scrapyd-deploy`, which runs `setup.py bdist_egg`) has no top level of its own, so the built copy of the
package carries the catalog (rules, columns, wording, the example sites file); core.resources finds it.
Editable installs are left alone: they read config/ in place.
"""
from pathlib import Path
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithConfig(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "gkaudit" / "config"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(ROOT / "config", target, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))


setup(cmdclass={"build_py": BuildWithConfig})
