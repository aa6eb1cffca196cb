"""WCAG 2.x contrast between two sRGB colours written as #rrggbb."""

import re

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.x level AA: normal text needs 4.5:1; large text and UI components (borders, focus
# rings) 3:1.
AA_TEXT = 4.5
AA_LARGE = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    if not HEX_COLOR.match(color):
        raise ValueError(f"Not a #rrggbb colour: {color!r}")
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
