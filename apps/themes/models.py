"""The look of one store's storefront: colours, fonts, logo, favicon and layout.

A store has at most one active Theme (a database constraint); without one the storefront
uses the default built-in theme. Every write goes through apps.themes.services, which
validates colours (including WCAG AA contrast) and bumps `version` so cached pages change.
"""

from django.db import models
from django.db.models import Q

from apps.themes.builtin import BUILTIN_THEMES, DEFAULT_BUILTIN, FONT_STACKS

FONT_CHOICES = [(key, label) for key, (label, _stack) in FONT_STACKS.items()]
_DEFAULT = BUILTIN_THEMES[DEFAULT_BUILTIN]


class Theme(models.Model):
    class Layout(models.TextChoices):
        CLASSIC = "classic", "Classic: sidebar of categories, product grid"
        BOUTIQUE = "boutique", "Boutique: centred header, large imagery, product cards"

    name = models.CharField(max_length=80, default=_DEFAULT["name"])
    layout = models.CharField(max_length=20, choices=Layout.choices, default=Layout.CLASSIC)
    color_background = models.CharField(max_length=7, default=_DEFAULT["color_background"])
    color_surface = models.CharField(max_length=7, default=_DEFAULT["color_surface"])
    color_text = models.CharField(max_length=7, default=_DEFAULT["color_text"])
    color_muted = models.CharField(max_length=7, default=_DEFAULT["color_muted"])
    color_accent = models.CharField(max_length=7, default=_DEFAULT["color_accent"])
    color_accent_text = models.CharField(max_length=7, default=_DEFAULT["color_accent_text"])
    color_sale = models.CharField(max_length=7, default=_DEFAULT["color_sale"])
    color_border = models.CharField(max_length=7, default=_DEFAULT["color_border"])
    font_heading = models.CharField(
        max_length=30, choices=FONT_CHOICES, default=_DEFAULT["font_heading"]
    )
    font_body = models.CharField(max_length=30, choices=FONT_CHOICES, default=_DEFAULT["font_body"])
    logo = models.ImageField(upload_to="themes/logos/", blank=True)
    favicon = models.ImageField(upload_to="themes/favicons/", blank=True)
    is_active = models.BooleanField(default=True)
    # Bumped by every theme_update: part of the storefront page-cache key.
    version = models.PositiveIntegerField(default=1)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="themes_one_active_theme"
            ),
        ]

    def __str__(self) -> str:
        return self.name
