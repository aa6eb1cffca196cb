"""Reads of the store's theme. The active theme is kept in the per-store cache as a small
immutable snapshot, so a storefront page pays no query for it once warm."""

from dataclasses import dataclass

from django.core.cache import cache

from apps.themes.builtin import BUILTIN_THEMES, COLOR_FIELDS, DEFAULT_BUILTIN, FONT_STACKS
from apps.themes.models import Theme

ACTIVE_THEME_KEY = "themes:active"
# A safety net only: theme_update replaces the entry on commit.
ACTIVE_THEME_TIMEOUT = 600

_CSS_NAMES = {
    "color_background": "--color-bg",
    "color_surface": "--color-surface",
    "color_text": "--color-text",
    "color_muted": "--color-muted",
    "color_accent": "--color-accent",
    "color_accent_text": "--color-accent-text",
    "color_sale": "--color-sale",
    "color_border": "--color-border",
}


@dataclass(frozen=True)
class ActiveTheme:
    """What the storefront needs of a theme, ready to render."""

    name: str
    layout: str
    colors: dict[str, str]
    font_heading: str
    font_body: str
    logo_url: str
    favicon_url: str
    version: int

    @property
    def css_variables(self) -> str:
        """The theme as CSS custom properties, for a <style> block in the page head.

        Values were validated by theme_update (hex colours, fonts from FONT_STACKS), so nothing
        a merchant typed reaches the stylesheet verbatim.
        """
        declarations = [f"{_CSS_NAMES[field]}:{self.colors[field]}" for field in COLOR_FIELDS]
        declarations.append(f"--font-heading:{FONT_STACKS[self.font_heading][1]}")
        declarations.append(f"--font-body:{FONT_STACKS[self.font_body][1]}")
        return ":root{" + ";".join(declarations) + "}"

    @property
    def header_template(self) -> str:
        return f"themes/{self.layout}/header.html"

    @property
    def product_list_template(self) -> str:
        return f"themes/{self.layout}/product_list.html"


def theme_snapshot(*, theme: Theme) -> ActiveTheme:
    return ActiveTheme(
        name=theme.name,
        layout=theme.layout,
        colors={field: getattr(theme, field) for field in COLOR_FIELDS},
        font_heading=theme.font_heading,
        font_body=theme.font_body,
        logo_url=theme.logo.url if theme.logo else "",
        favicon_url=theme.favicon.url if theme.favicon else "",
        version=theme.version,
    )


def builtin_snapshot(*, name: str = DEFAULT_BUILTIN) -> ActiveTheme:
    """A built-in theme as it renders before the merchant saved any theme (version 0)."""
    values = BUILTIN_THEMES[name]
    return ActiveTheme(
        name=values["name"],
        layout=values["layout"],
        colors={field: values[field] for field in COLOR_FIELDS},
        font_heading=values["font_heading"],
        font_body=values["font_body"],
        logo_url="",
        favicon_url="",
        version=0,
    )


def theme_get_active_cached() -> ActiveTheme | None:
    """The cached snapshot, or None on a cold cache (never queries)."""
    return cache.get(ACTIVE_THEME_KEY)


def theme_get_active() -> ActiveTheme:
    """The store's active theme: cache first, then one query; the default built-in theme when
    the merchant never saved one."""
    snapshot = cache.get(ACTIVE_THEME_KEY)
    if snapshot is None:
        theme = Theme.objects.filter(is_active=True).first()
        snapshot = theme_snapshot(theme=theme) if theme is not None else builtin_snapshot()
        cache.set(ACTIVE_THEME_KEY, snapshot, ACTIVE_THEME_TIMEOUT)
    return snapshot
