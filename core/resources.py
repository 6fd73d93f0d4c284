"""Where gkaudit's data folders live (config/, the migrations) as real folders on disk, however it is installed.

- Repository or editable install: `config/` beside the packages is used in place (auditors edit it there).
- Wheel: setup.py ships a copy as `gkaudit/config/`.
- Scrapyd egg: Scrapyd imports the egg straight from its zip file, but the YAML loaders and Alembic read
  real files, so a folder inside a zip is extracted once into a per-user cache folder keyed by the archive.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

# Where setup.py puts the copy of config/ in a built package (wheel, Scrapyd egg): inside the gkaudit package,
# located without importing it (this floor must not import the application's).
SHIPPED = Path(__file__).resolve().parent.parent / "gkaudit" / "config"
REPOSITORY = Path(__file__).resolve().parent.parent / "config"


def config_dir() -> Path:
    """The repository's config/ when there is one, else the copy shipped inside the package."""
    if REPOSITORY.is_dir():
        return REPOSITORY
    return real_dir(SHIPPED)


def real_dir(path: Path) -> Path:
    """`path` itself when it is a folder; extracted from the zip archive it lies in otherwise.

    A path that exists nowhere is returned unchanged, so the loader that reads it reports the missing file.
    """
    if path.is_dir():
        return path
    archive = next((p for p in path.parents if p.is_file()), None)
    if archive is None or not zipfile.is_zipfile(archive):
        return path
    inner = path.relative_to(archive).as_posix().rstrip("/") + "/"
    stat = archive.stat()
    key = hashlib.sha1(f"{archive}\0{stat.st_size}\0{stat.st_mtime_ns}\0{inner}".encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"gkaudit-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    cache.mkdir(mode=0o700, exist_ok=True)
    target = cache / key
    if target.is_dir():
        return target

    staging = Path(tempfile.mkdtemp(dir=cache, prefix=".extract-"))
    with zipfile.ZipFile(archive) as zf:
        for name in zf.namelist():
            if not name.startswith(inner) or name.endswith("/"):
                continue
            dest = staging / name[len(inner):]
            if ".." in Path(name).parts:
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(zf.read(name))
    try:
        staging.rename(target)  # atomic: concurrent crawls of one egg never see a half-extracted folder
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # another process got there first
    return target


CONFIG_DIR = config_dir()  # the repository's config/, or the copy inside an installed package or Scrapyd egg
RULES_DIR = CONFIG_DIR / "rules"
