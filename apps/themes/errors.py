from enum import StrEnum


class ThemeErrorCode(StrEnum):
    BUILTIN_UNKNOWN = "theme_builtin_unknown"
    COLOR_INVALID = "theme_color_invalid"
    CONTRAST_TOO_LOW = "theme_contrast_too_low"
    FONT_UNKNOWN = "theme_font_unknown"
    LAYOUT_UNKNOWN = "theme_layout_unknown"
    FIELD_UNKNOWN = "theme_field_unknown"
    IMAGE_INVALID = "theme_image_invalid"
