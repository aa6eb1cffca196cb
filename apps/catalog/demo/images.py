"""The demo catalog's product pictures, drawn with Pillow: nothing is downloaded.

Each is a JPEG in the product's colour with a simple motif (peaks, a tent, rings, a sun,
stripes) and the product's initials, ~2 ms to draw at 800x800.
"""

import colorsys
import io
from functools import cache
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

IMAGE_SIZE = 800


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _shade(rgb: tuple[int, int, int], lightness: float) -> tuple[int, int, int]:
    """The same hue at another lightness (0..1)."""
    hue, _, saturation = colorsys.rgb_to_hls(*(channel / 255 for channel in rgb))
    red, green, blue = colorsys.hls_to_rgb(hue, max(0.0, min(1.0, lightness)), saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


def _is_light(rgb: tuple[int, int, int]) -> bool:
    red, green, blue = rgb
    return 0.299 * red + 0.587 * green + 0.114 * blue > 150


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ):
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    # Pillow's own font (FreeType builds scale it), so no system font is required.
    return ImageFont.load_default(size=size)


def initials(name: str) -> str:
    words = [word for word in name.replace("-", " ").split() if word[:1].isalpha()]
    return "".join(word[0].upper() for word in words[:2]) or "?"


def demo_image(
    *,
    name: str,
    background: str,
    motif: str = "peaks",
    view: int = 0,
    size: int = IMAGE_SIZE,
    filename: str = "demo.jpg",
) -> ContentFile:
    """A product picture: the product's colour, a simple motif and its initials, as a JPEG.

    view 0 is the main picture; view 1 a "detail" with the motif drawn large and the colours
    turned around, so a gallery shows two different pictures.
    """
    base = _rgb(background)
    light = _is_light(base)
    ink = _shade(base, 0.18) if light else _shade(base, 0.92)
    accent = _shade(base, 0.35 if light else 0.72)
    if view % 2:
        base, accent = _shade(base, 0.85 if not light else 0.55), base
        ink = _shade(accent, 0.15) if _is_light(base) else _shade(accent, 0.95)

    image = Image.new("RGB", (size, size), base)
    draw = ImageDraw.Draw(image)
    unit = size / 8
    scale = 1.6 if view % 2 else 1.0
    if motif == "peaks":
        for offset, height in ((0.0, 3.2), (2.4, 4.4), (4.6, 2.8)):
            left = offset * unit * scale - (unit if view % 2 else 0)
            draw.polygon(
                [
                    (left, size),
                    (left + 1.8 * unit * scale, size - height * unit * scale),
                    (left + 3.6 * unit * scale, size),
                ],
                fill=accent,
            )
    elif motif == "tent":
        peak = (size / 2, size - 4.2 * unit * scale)
        draw.polygon([(unit, size - unit), peak, (size - unit, size - unit)], fill=accent)
        draw.polygon(
            [(size / 2 - 0.7 * unit, size - unit), peak, (size / 2 + 0.7 * unit, size - unit)],
            fill=ink,
        )
    elif motif == "rings":
        centre = (size * (0.72 if view % 2 else 0.5), size * 0.62)
        for ring in range(4, 0, -1):
            radius = ring * 0.7 * unit * scale
            draw.ellipse(
                [
                    centre[0] - radius,
                    centre[1] - radius,
                    centre[0] + radius,
                    centre[1] + radius,
                ],
                outline=accent,
                width=max(2, round(unit / 5)),
            )
    elif motif == "sun":
        radius = 1.6 * unit * scale
        centre = (size / 2, size * 0.62)
        draw.ellipse(
            [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
            fill=accent,
        )
        draw.rectangle([0, size - 1.2 * unit, size, size], fill=_shade(accent, 0.3))
    else:  # stripes
        stripe = unit * 0.6 * scale
        top = size * 0.45
        for band in range(int((size - top) / (2 * stripe)) + 1):
            y = top + band * 2 * stripe
            draw.rectangle([0, y, size, y + stripe], fill=accent)

    text = initials(name)
    font = _font(round(size * 0.22))
    box = draw.textbbox((0, 0), text, font=font)
    x = (size - (box[2] - box[0])) / 2 - box[0]
    y = size * 0.12 - box[1]
    draw.text((x, y), text, font=font, fill=ink)

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=False)
    return ContentFile(buffer.getvalue(), name=filename)
