"""Forms of the payments admin (and of the payment actions on an order's page): input checks
only; every write is a service call, whose refusal lands on the field it names."""

from typing import Any

from django import forms

from apps.core.admin_forms import ServiceModelForm
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_errors_add
from apps.payments.models import PaymentProviderConfig
from apps.payments.providers import payment_provider_get, payment_providers
from apps.payments.providers.base import SettingField
from apps.payments.services import provider_config_secret_hints

SETTING_PREFIX = "setting_"
CLEAR_SUFFIX = "__clear"
NOT_SET = "not set"


def settings_field_names(config: PaymentProviderConfig) -> list[str]:
    """The form fields of a saved config's provider settings, in order: one per setting, and
    a "remove" box after each secret that is set."""
    provider = payment_provider_get(config.provider) if config.pk else None
    if provider is None:
        return []
    hints = provider_config_secret_hints(config)
    names = []
    for setting in provider.setting_fields:
        names.append(f"{SETTING_PREFIX}{setting.name}")
        if setting.secret and hints.get(setting.name, NOT_SET) != NOT_SET:
            names.append(f"{SETTING_PREFIX}{setting.name}{CLEAR_SUFFIX}")
    return names


def _setting_field(setting: SettingField, hint: str) -> forms.Field:
    if setting.kind == "bool":
        return forms.BooleanField(label=setting.label, required=False, help_text=setting.help_text)
    if setting.kind == "choice":
        return forms.ChoiceField(
            label=setting.label, choices=setting.choices, help_text=setting.help_text
        )
    if setting.secret:
        # Write-only: the stored value is never sent back to the browser, only a hint.
        return forms.CharField(
            label=setting.label,
            required=False,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
            help_text=f"Currently {hint}. Leave empty to keep it. {setting.help_text}".strip(),
        )
    return forms.CharField(label=setting.label, required=False, help_text=setting.help_text)


class ProviderConfigForm(ServiceModelForm):
    """A provider's settings in this store. Adding picks the provider (its settings start from
    its defaults); its own settings appear on its page afterwards."""

    provider = forms.ChoiceField(choices=())

    class Meta:
        model = PaymentProviderConfig
        fields = ["provider", "enabled", "display_name", "position", "instructions"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.provider = None
        if self.instance.pk:
            self.fields["provider"].choices = [(self.instance.provider, self.instance.provider)]
            self.fields["provider"].disabled = True
            self.provider = payment_provider_get(self.instance.provider)
        else:
            taken = set(PaymentProviderConfig.objects.values_list("provider", flat=True))
            self.fields["provider"].choices = [
                (code, f"{provider.name} ({code})")
                for code, provider in payment_providers().items()
                if code not in taken
            ]
        if self.provider is not None:
            self._settings_fields_add()

    def _settings_fields_add(self) -> None:
        hints = provider_config_secret_hints(self.instance)
        stored = self.instance.settings
        for setting in self.provider.setting_fields:
            name = f"{SETTING_PREFIX}{setting.name}"
            self.fields[name] = _setting_field(setting, hints.get(setting.name, NOT_SET))
            if not setting.secret:
                self.fields[name].initial = stored.get(setting.name, setting.default)
        for name in settings_field_names(self.instance):
            if name.endswith(CLEAR_SUFFIX):
                label = self.fields[name.removesuffix(CLEAR_SUFFIX)].label.lower()
                self.fields[name] = forms.BooleanField(label=f"Remove the {label}", required=False)

    def settings_values(self) -> dict[str, Any] | None:
        if self.provider is None:
            return None
        return {
            setting.name: self.cleaned_data.get(f"{SETTING_PREFIX}{setting.name}")
            for setting in self.provider.setting_fields
        }

    def secrets_to_clear(self) -> list[str]:
        if self.provider is None:
            return []
        return [
            setting.name
            for setting in self.provider.setting_fields
            if self.cleaned_data.get(f"{SETTING_PREFIX}{setting.name}{CLEAR_SUFFIX}")
        ]

    def service_error_add(self, error: ApplicationError) -> None:
        field_map = {}
        if self.provider is not None:
            field_map = {s.name: f"{SETTING_PREFIX}{s.name}" for s in self.provider.setting_fields}
        form_errors_add(self, error, field_map=field_map)


class ServiceForm(forms.Form):
    def service_error_add(self, error: ApplicationError) -> None:
        form_errors_add(self, error)


class MarkPaidForm(ServiceForm):
    reference = forms.CharField(
        required=False,
        max_length=255,
        help_text="Optional: the bank's reference of the transfer, a receipt number.",
    )


class RefundForm(ServiceForm):
    amount = forms.DecimalField(
        required=False,
        max_digits=12,
        decimal_places=3,
        help_text="Leave empty to refund everything not yet refunded.",
    )
    reason = forms.CharField(required=False, max_length=300)


class VoidForm(ServiceForm):
    reason = forms.CharField(required=False, max_length=300)
