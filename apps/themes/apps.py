from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "apps.themes"
    label = "themes"
    verbose_name = "Themes"
