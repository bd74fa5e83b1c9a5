"""The CJK font of printed maps and reports (found once, embedded in every PDF).

Chinese text needs a font with Chinese glyphs, or it prints as empty boxes. The font is
``ZZGEO_FONT`` when set, else the first installed one of :data:`CJK_FAMILIES`. It must
have TrueType outlines (a ``glyf`` table): matplotlib embeds those as Type 42 / CID
TrueType subsets and ReportLab can only embed TrueType (CFF-based ``.otf`` fonts such as
Noto Sans CJK's are skipped).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from zzgeo.errors import ZzgeoError
from zzgeo.settings import get_settings

__all__ = ["CJK_FAMILIES", "CjkFont", "cjk_font", "reportlab_font"]

logger = logging.getLogger(__name__)

#: families tried in order (names as the fonts state them)
CJK_FAMILIES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "SimHei",
    "Microsoft YaHei",
    "Droid Sans Fallback",
)
_INSTALL_HINT = (
    "install one (Debian/Ubuntu: apt-get install fonts-wqy-microhei) or set ZZGEO_FONT to a TrueType "
    ".ttf/.ttc font file with Chinese glyphs"
)
_LOCK = threading.Lock()


@dataclass(frozen=True)
class CjkFont:
    """A font file with Chinese glyphs: its path, family name and index in a collection."""

    path: Path
    family: str
    index: int = 0


def _faces(path: Path) -> list[tuple[int, str, bool, bool]]:
    """(index, family, has TrueType outlines, has CJK glyphs) of each face in a font file."""
    from fontTools.ttLib import TTCollection, TTFont

    fonts = TTCollection(str(path)).fonts if path.suffix.lower() in (".ttc", ".otc") else [TTFont(str(path), lazy=True)]
    out = []
    for i, font in enumerate(fonts):
        family = font["name"].getBestFamilyName() or path.stem
        cmap = font.getBestCmap() or {}
        out.append((i, str(family), "glyf" in font, 0x6F33 in cmap and 0x5DDE in cmap))  # 漳, 州
    return out


def _usable(path: Path, family: str | None = None) -> CjkFont | None:
    try:
        faces = _faces(path)
    except Exception as exc:  # a broken or foreign file: not this one
        logger.debug("font %s unreadable: %s", path, exc)
        return None
    for index, name, truetype, cjk in faces:
        if truetype and cjk and (family is None or name == family):
            return CjkFont(path, name, index)
    return None


@cache
def _find(explicit: Path | None) -> CjkFont:
    if explicit is not None:
        if not explicit.is_file():
            raise ZzgeoError(f"ZZGEO_FONT={explicit}: no such font file; {_INSTALL_HINT}")
        found = _usable(explicit)
        if found is None:
            raise ZzgeoError(f"ZZGEO_FONT={explicit}: not a TrueType font with Chinese glyphs (漳州); {_INSTALL_HINT}")
        return found
    from matplotlib import font_manager

    by_family: dict[str, list[Path]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_family.setdefault(entry.name, []).append(Path(entry.fname))
    for family in CJK_FAMILIES:
        for path in by_family.get(family, []):
            found = _usable(path, family)
            if found is not None:
                logger.debug("CJK font: %s (%s, face %d)", found.path, found.family, found.index)
                return found
    # a font installed after matplotlib cached its font list: look at the files themselves
    for name in sorted(font_manager.findSystemFonts()):
        if Path(name).suffix.lower() in (".ttf", ".ttc") and any(
            key in Path(name).name.lower() for key in ("wqy", "noto", "sourcehan", "simhei", "msyh", "droid")
        ):
            found = _usable(Path(name))
            if found is not None:
                return found
    raise ZzgeoError(f"no font with Chinese glyphs found for maps and reports; {_INSTALL_HINT}")


def cjk_font() -> CjkFont:
    """The CJK font (registered with matplotlib on first use).

    Raises
    ------
    ZzgeoError
        When no usable font is installed or ``ZZGEO_FONT`` names an unusable file; the
        message says how to install one.
    """
    found = _find(get_settings().font_path)
    with _LOCK:
        from matplotlib import font_manager

        if found.family not in {e.name for e in font_manager.fontManager.ttflist if Path(e.fname) == found.path}:
            font_manager.fontManager.addfont(str(found.path))
    return found


@cache
def reportlab_font() -> str:
    """The ReportLab name of the CJK font (registered on first use)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    found = cjk_font()
    name = "zzgeo-cjk"
    pdfmetrics.registerFont(TTFont(name, str(found.path), subfontIndex=found.index))
    return name
