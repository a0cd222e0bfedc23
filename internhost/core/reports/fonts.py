"""The report fonts: shipped TTFs, registered once, and per-character font choice.

The base-14 PDF fonts turn ễ, Ł and CJK into "■", so reports use DejaVu Sans for
Latin/Vietnamese/Polish and Droid Sans Fallback for CJK. Droid has no usable Latin,
so text is split into runs and each run gets the font that can draw it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from internhost.paths import fonts_dir

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    FALLBACK: "DroidSansFallbackFull.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the shipped TTFs with ReportLab; cheap and safe to call from any thread, often."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = fonts_dir()
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
        # <b> in a Paragraph maps through the family; Droid has no bold, so every
        # variant of it is itself (otherwise <b><font name=Droid…> cannot resolve).
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FALLBACK, bold, italic, FALLBACK)
        _registered = True


@cache
def _coverage(font_name: str) -> Mapping[int, int]:
    """Code point → glyph id of a registered font (its TTF character map)."""
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    if not isinstance(font, TTFont):
        raise TypeError(f"{font_name} is not a TrueType font: its glyphs are not known")
    return font.face.charToGlyph


def has_glyph(font_name: str, char: str) -> bool:
    """True when the font maps ``char`` to a real glyph (not .notdef)."""
    return bool(_coverage(font_name).get(ord(char)))


@cache
def _font_for(char: str, bold: bool) -> str:
    primary = BOLD if bold else REGULAR
    if has_glyph(primary, char) or not has_glyph(FALLBACK, char):
        return primary  # missing everywhere: keep the primary so gaps look alike
    return FALLBACK


def _stays(font_name: str, char: str) -> bool:
    """Whitespace keeps the current run: always newline/tab, other spaces if the font has them."""
    return char.isspace() and (char < " " or has_glyph(font_name, char))


def font_runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font_name, chars)`` runs, DejaVu first, CJK fallback second.

    Whitespace stays with the run it sits in, so "李小龍 Bruce" makes two runs, not three.
    """
    fonts: list[str] = []
    chunks: list[list[str]] = []
    for char in text:
        font = fonts[-1] if fonts and _stays(fonts[-1], char) else _font_for(char, bold)
        if fonts and fonts[-1] == font:
            chunks[-1].append(char)
        else:
            fonts.append(font)
            chunks.append([char])
    return [(font, "".join(chunk)) for font, chunk in zip(fonts, chunks, strict=True)]
