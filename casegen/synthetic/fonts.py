"""CJK font families for the generator, resolved from the fonts installed on the machine.

Documents pick families by role ("song" for body text, "kai" for filled-in fields, "hei" for
tables...). Each family lists candidate faces; the first installed one wins, and any installed
CJK face stands in for a missing one so generation never fails on a machine with fewer fonts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

_NOTO = "/usr/share/fonts/opentype/noto/"
_CANDIDATES: dict[str, tuple[tuple[str, str], ...]] = {
    # (file, face name as reported by PIL) - a .ttc holds several faces, found by name.
    "song": ((_NOTO + "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
             ("/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing CN")),
    "song_bold": ((_NOTO + "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
                  (_NOTO + "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC")),
    "ming": (("/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing CN"),
             (_NOTO + "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC")),
    "hei": ((_NOTO + "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
            ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei")),
    "zenhei": (("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei"),
               (_NOTO + "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC")),
    "hei_bold": ((_NOTO + "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
                 ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei")),
    "kai": (("/usr/share/fonts/truetype/arphic/ukai.ttc", "AR PL UKai CN"),
            ("/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing CN")),
}
FAMILIES = tuple(_CANDIDATES)
_REF_PX = 64  # size at which advance widths are measured; widths scale linearly


def _face_index(path: str, face: str) -> int | None:
    for i in range(12):
        try:
            f = ImageFont.truetype(path, 12, index=i)
        except OSError:
            return None
        if f.getname()[0] == face:
            return i
    return None


@lru_cache(maxsize=None)
def resolve(family: str) -> tuple[str, int]:
    """(file, face index) for a family, falling back to any installed CJK face."""
    for path, face in _CANDIDATES.get(family, ()):
        if Path(path).exists():
            idx = _face_index(path, face)
            if idx is not None:
                return path, idx
    for other in FAMILIES:
        for path, face in _CANDIDATES[other]:
            if Path(path).exists():
                idx = _face_index(path, face)
                if idx is not None:
                    return path, idx
    raise RuntimeError("no CJK font installed (apt-get install fonts-noto-cjk fonts-arphic-uming)")


@lru_cache(maxsize=64)  # a CJK face costs ~2-3 MB of memory; reopening one takes ~4 ms
def font(family: str, px: int) -> ImageFont.FreeTypeFont:
    path, idx = resolve(family)
    return ImageFont.truetype(path, max(4, px), index=idx)


@lru_cache(maxsize=None)
def _advance_em(family: str, ch: str) -> float:
    return font(family, _REF_PX).getlength(ch) / _REF_PX


def text_width_em(family: str, text: str) -> float:
    """Width of `text` in em (1 em = the font size); CJK ideographs are 1 em wide."""
    return sum(_advance_em(family, ch) for ch in text)
