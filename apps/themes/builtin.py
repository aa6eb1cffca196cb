"""The built-in themes and the font stacks a theme can choose from.

Fonts are local font stacks (no web-font download, no CDN): each names fonts that ship with
common systems, falling back to a generic family.
"""

FONT_STACKS: dict[str, tuple[str, str]] = {
    # key: (label, CSS font-family)
    "system-sans": (
        "System sans-serif",
        'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    ),
    "humanist": (
        "Humanist sans-serif",
        'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", sans-serif',
    ),
    "geometric": (
        "Geometric sans-serif",
        'Avenir, "Avenir Next", Montserrat, Corbel, "URW Gothic", "DejaVu Sans", sans-serif',
    ),
    "transitional-serif": (
        "Transitional serif",
        'Charter, "Bitstream Charter", "Sitka Text", Cambria, "DejaVu Serif", serif',
    ),
    "old-style-serif": (
        "Old-style serif",
        '"Iowan Old Style", "Palatino Linotype", "URW Palladio L", P052, Georgia, serif',
    ),
    "didone": (
        "Didone (high-contrast serif)",
        'Didot, "Bodoni MT", "Noto Serif Display", "Playfair Display", Georgia, serif',
    ),
    "monospace": (
        "Monospace",
        'ui-monospace, "Cascadia Code", "Source Code Pro", Menlo, Consolas, monospace',
    ),
}

COLOR_FIELDS = (
    "color_background",
    "color_surface",
    "color_text",
    "color_muted",
    "color_accent",
    "color_accent_text",
    "color_sale",
    "color_border",
)

# Pairs whose contrast must pass WCAG AA for normal text (foreground, background).
TEXT_PAIRS = (
    ("color_text", "color_background"),
    ("color_text", "color_surface"),
    ("color_muted", "color_background"),
    ("color_muted", "color_surface"),
    ("color_accent", "color_background"),
    ("color_accent", "color_surface"),
    ("color_accent_text", "color_accent"),
    ("color_sale", "color_background"),
    ("color_sale", "color_surface"),
)

BUILTIN_THEMES: dict[str, dict[str, str]] = {
    # Sidebar of categories, dense product grid, cool neutrals with a blue accent.
    "classic": {
        "name": "Classic",
        "layout": "classic",
        "color_background": "#ffffff",
        "color_surface": "#f3f5f8",
        "color_text": "#1b2430",
        "color_muted": "#4f5b67",
        "color_accent": "#1d4ed8",
        "color_accent_text": "#ffffff",
        "color_sale": "#b42318",
        "color_border": "#8a96a3",
        "font_heading": "geometric",
        "font_body": "system-sans",
    },
    # Centred header, large imagery, product cards in a wide list; warm cream and burgundy.
    "boutique": {
        "name": "Boutique",
        "layout": "boutique",
        "color_background": "#fbf8f4",
        "color_surface": "#f2ebe2",
        "color_text": "#2a2420",
        "color_muted": "#5f544c",
        "color_accent": "#7a2e3a",
        "color_accent_text": "#fffaf5",
        "color_sale": "#9c2a1c",
        "color_border": "#9a8b7e",
        "font_heading": "didone",
        "font_body": "old-style-serif",
    },
}
DEFAULT_BUILTIN = "classic"
