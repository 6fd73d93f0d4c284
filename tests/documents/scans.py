"""Scanned PDFs the OCR tests generate: lines of Chinese drawn with a CJK font into a picture (Pillow), saved as a
PDF of pictures only (no text layer), as a scanner makes them. The font is found at run time (fontconfig, then
Debian's paths); `make install` installs fonts-noto-cjk."""
from __future__ import annotations

import io
import random
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

A4_300DPI = (2480, 3508)
KNOWN = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
         "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


@lru_cache(maxsize=1)
def cjk_font_file() -> tuple[str, int]:
    """(path, face index) of a font with simplified Chinese glyphs."""
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", "sans-serif:lang=zh-cn"], capture_output=True,
                               text=True, check=False).stdout.strip()
        path, _, index = found.partition("\t")
        if path and Path(path).exists() and _draws_chinese(path, int(index or 0)):
            return path, int(index or 0)
    for path in KNOWN:
        for index in (2, 0):  # the .ttc's simplified Chinese face (JP, KR, SC …), or the only one
            if Path(path).exists() and _draws_chinese(path, index):
                return path, index
    raise AssertionError("no CJK font: make install installs fonts-noto-cjk")


def _draws_chinese(path: str, index: int) -> bool:
    try:
        font = ImageFont.truetype(path, 40, index=index)
    except OSError:
        return False
    return font.getmask("批").getbbox() is not None and font.getmask("批").getbbox() != font.getmask("\uffff").getbbox()


def scanned_page(lines: list[str], *, size: int = 42, blur: float = 0, noise: float = 0) -> Image.Image:
    """An A4 page at 300 dpi with these lines; `blur` (Gaussian radius) and `noise` (share of pixels flipped)
    make a bad scan."""
    path, index = cjk_font_file()
    font = ImageFont.truetype(path, size, index=index)
    image = Image.new("L", A4_300DPI, 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((250, 300 + i * int(size * 2.1)), line, font=font, fill=0)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        rng = random.Random(7)
        pixels = image.load()
        width, height = image.size
        for _ in range(int(width * height * noise)):
            x, y = rng.randrange(width), rng.randrange(height)
            pixels[x, y] = 255 - pixels[x, y]
    return image


def scanned_pdf(pages: list[Image.Image]) -> bytes:
    """A PDF of pictures only: no page has a text layer."""
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    return out.getvalue()
