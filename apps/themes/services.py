"""Writes to the store's theme. Every change is validated and bumps the theme's version."""

from typing import Any

from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from apps.core.exceptions import ApplicationError
from apps.themes.builtin import BUILTIN_THEMES, COLOR_FIELDS, FONT_STACKS, TEXT_PAIRS
from apps.themes.contrast import AA_TEXT, HEX_COLOR, contrast_ratio
from apps.themes.errors import ThemeErrorCode
from apps.themes.models import Theme
from apps.themes.selectors import ACTIVE_THEME_KEY, ACTIVE_THEME_TIMEOUT, theme_snapshot

EDITABLE_FIELDS = frozenset(
    {"name", "layout", "font_heading", "font_body", "logo", "favicon", *COLOR_FIELDS}
)
FIELD_LABELS = {
    "color_background": "background",
    "color_surface": "surface",
    "color_text": "text",
    "color_muted": "muted text",
    "color_accent": "accent",
    "color_accent_text": "text on accent",
    "color_sale": "sale price",
    "color_border": "border",
}


def _theme_for_update() -> Theme:
    theme = Theme.objects.select_for_update().filter(is_active=True).first()
    return theme if theme is not None else Theme(is_active=True, version=0)


def _validate(theme: Theme, fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            f"Unknown theme field: {unknown[0]}.",
            code=ThemeErrorCode.FIELD_UNKNOWN,
            field=unknown[0],
        )
    if "layout" in fields and fields["layout"] not in Theme.Layout.values:
        raise ApplicationError(
            "Choose one of the available layouts.",
            code=ThemeErrorCode.LAYOUT_UNKNOWN,
            field="layout",
        )
    for field in ("font_heading", "font_body"):
        if field in fields and fields[field] not in FONT_STACKS:
            raise ApplicationError(
                "Choose one of the available fonts.",
                code=ThemeErrorCode.FONT_UNKNOWN,
                field=field,
            )
    for field in COLOR_FIELDS:
        if field in fields and not HEX_COLOR.match(str(fields[field])):
            raise ApplicationError(
                "Enter a colour as #rrggbb, e.g. #1d4ed8.",
                code=ThemeErrorCode.COLOR_INVALID,
                field=field,
            )
    for field in ("logo", "favicon"):
        if fields.get(field):
            _validate_image(fields[field], field)


def _validate_image(file: File, field: str) -> None:
    try:
        with Image.open(file) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ApplicationError(
            "Upload a PNG, JPEG, GIF or WebP image.",
            code=ThemeErrorCode.IMAGE_INVALID,
            field=field,
        ) from exc
    file.seek(0)


def _check_contrast(theme: Theme) -> None:
    """Shoppers must be able to read the store: WCAG AA (4.5:1) for every text pair."""
    for foreground, background in TEXT_PAIRS:
        ratio = contrast_ratio(getattr(theme, foreground), getattr(theme, background))
        if ratio < AA_TEXT:
            raise ApplicationError(
                f"The {FIELD_LABELS[foreground]} colour is too hard to read on the "
                f"{FIELD_LABELS[background]} colour (contrast {ratio:.2f}:1; at least "
                f"{AA_TEXT}:1 is needed).",
                code=ThemeErrorCode.CONTRAST_TOO_LOW,
                field=foreground,
                extra={"ratio": round(ratio, 2), "against": background},
            )


def theme_check(**fields: Any) -> None:
    """Raise the ApplicationError theme_update would raise for these changes, saving nothing
    (forms call it to show a refusal on its field before anything is written)."""
    theme = Theme.objects.filter(is_active=True).first() or Theme(is_active=True)
    _validate(theme, fields)
    for field, value in fields.items():
        setattr(theme, field, value.lower() if field in COLOR_FIELDS else value)
    _check_contrast(theme)


@transaction.atomic
def theme_update(**fields: Any) -> Theme:
    """Change the active theme (created from the default built-in theme on first use)."""
    theme = _theme_for_update()
    _validate(theme, fields)
    for field, value in fields.items():
        if field in COLOR_FIELDS:
            value = value.lower()
        setattr(theme, field, value)
    _check_contrast(theme)
    theme.version += 1
    theme.save()
    snapshot = theme_snapshot(theme=theme)
    # Replace (not just drop) the cached snapshot once the change is visible to others.
    transaction.on_commit(lambda: cache.set(ACTIVE_THEME_KEY, snapshot, ACTIVE_THEME_TIMEOUT))
    return theme


def theme_apply_builtin(*, name: str) -> Theme:
    """Switch to a built-in theme's layout, colours and fonts (logo and favicon are kept)."""
    if name not in BUILTIN_THEMES:
        raise ApplicationError(
            "There is no built-in theme of that name.",
            code=ThemeErrorCode.BUILTIN_UNKNOWN,
            field="name",
        )
    return theme_update(**BUILTIN_THEMES[name])
