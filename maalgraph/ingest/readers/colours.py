"""Traffic-light statuses given as a cell's colour and no text (Word shading, HTML styles):
the colour's name, so that the layout reader reads the cell as it reads "grøn" written out."""

from __future__ import annotations

import colorsys
import re

_HEX = re.compile(r"#?([0-9a-fA-F]{6})\b")
_NAMED = {"green": "grøn", "lime": "grøn", "yellow": "gul", "gold": "gul", "orange": "orange",
          "red": "rød", "darkred": "rød", "darkgreen": "grøn"}  # fmt: skip
_CLASS = re.compile(
    r"(?:^|[\s_-])(green|groen|grøn|yellow|gul|orange|red|roed|rød)(?:$|[\s_-])", re.I
)
_CLASS_NAME = {"green": "grøn", "groen": "grøn", "grøn": "grøn", "yellow": "gul", "gul": "gul",
               "orange": "orange", "red": "rød", "roed": "rød", "rød": "rød"}  # fmt: skip


def colour_name(value: str | None) -> str | None:
    """'00B050' → 'grøn', '#FFC000' → 'gul', 'FF0000' → 'rød'; white, grey or unknown → None.

    >>> [colour_name(c) for c in ("00B050", "#FFFF00", "FFC000", "C00000", "FFFFFF", "auto")]
    ['grøn', 'gul', 'gul', 'rød', None, None]
    """
    if not value:
        return None
    if value.strip().casefold() in _NAMED:
        return _NAMED[value.strip().casefold()]
    match = _HEX.search(value)
    if not match:
        return None
    rgb = bytes.fromhex(match.group(1))
    hue, lightness, saturation = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    if saturation < 0.35 or lightness > 0.92 or lightness < 0.08:
        return None  # white, black or grey: no status
    degrees = hue * 360
    if degrees < 18 or degrees >= 330:
        return "rød"
    if degrees < 32:
        return "orange"
    if degrees < 65:
        return "gul"
    if degrees < 170:
        return "grøn"
    return None


def colour_of_style(style: str | None, classes: str | None) -> str | None:
    """An HTML cell's status colour from its style ("background-color: #00b050") or class."""
    if style:
        match = re.search(r"background(?:-color)?\s*:\s*([#\w]+)", style, re.I)
        if match and (name := colour_name(match.group(1))):
            return name
    if classes and (match := _CLASS.search(classes)):
        return _CLASS_NAME[match.group(1).casefold()]
    return None
