"""The merchant's theme page in the store admin: edit colours, fonts, logo, favicon and layout,
or switch to a built-in theme. Every save is apps.themes.services.theme_update."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect

from apps.core.admin_site import NotFoundMixin
from apps.core.exceptions import ApplicationError
from apps.themes import services
from apps.themes.builtin import BUILTIN_THEMES
from apps.themes.models import Theme

EDITABLE = [
    "name",
    "layout",
    "color_background",
    "color_surface",
    "color_text",
    "color_muted",
    "color_accent",
    "color_accent_text",
    "color_sale",
    "color_border",
    "font_heading",
    "font_body",
    "logo",
    "favicon",
]


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = EDITABLE
        widgets = {
            field: forms.TextInput(attrs={"type": "color"})
            for field in EDITABLE
            if field.startswith("color_")
        }

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.changed_data}

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors:
            try:
                services.theme_check(**self.changes())
            except ApplicationError as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned


@admin.register(Theme)
class ThemeAdmin(NotFoundMixin, admin.ModelAdmin):
    form = ThemeForm
    list_display = ["name", "layout", "is_active", "updated"]
    readonly_fields = ["version", "updated"]
    actions = []  # the built-in themes' switches are added by get_actions

    def add_view(self, request, form_url="", extra_context=None):
        # One theme per store: once it exists, "add" means editing it. (Checked here, not in
        # has_add_permission, which every admin page's app list would pay a query for.)
        existing = Theme.objects.filter(is_active=True).values_list("pk", flat=True).first()
        if existing is not None:
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", existing)
        return super().add_view(request, form_url, extra_context)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        saved = services.theme_update(**form.changes())
        obj.pk, obj.version = saved.pk, saved.version

    def get_actions(self, request):
        actions = super().get_actions(request)
        for key, theme in BUILTIN_THEMES.items():
            actions[f"apply_{key}"] = (
                _builtin_action(key),
                f"apply_{key}",
                f"Switch to the built-in “{theme['name']}” theme",
            )
        return actions


def _builtin_action(key: str):
    def apply(modeladmin, request, queryset) -> None:
        services.theme_apply_builtin(name=key)
        modeladmin.message_user(
            request, f"The storefront now uses “{BUILTIN_THEMES[key]['name']}”.", messages.SUCCESS
        )

    return apply
