from django import forms
from django.conf import settings

from apps.core.exceptions import ApplicationError
from tenants import services
from tenants.models import Tenant


class SignupForm(forms.Form):
    """Input checks only; what makes a store valid is decided by services.store_provision."""

    name = forms.CharField(
        label="Store name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    slug = forms.CharField(
        label="Store address",
        min_length=services.SLUG_MIN_LENGTH,
        max_length=services.SLUG_MAX_LENGTH,
        help_text=(
            f"{services.SLUG_MIN_LENGTH} to {services.SLUG_MAX_LENGTH} lower-case letters, digits "
            "or hyphens. Your store will answer on this address."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "inputmode": "url",
            }
        ),
    )
    email = forms.EmailField(
        label="Your email",
        help_text="You sign in to your store's admin with this address.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        help_text="At least 8 characters; not only digits, not a common password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    @property
    def base_domain(self) -> str:
        return settings.BASE_DOMAIN

    def field_error_set(self, field: str | None, message: str) -> None:
        """Show a service's error on the input it is about (or above the form)."""
        self.add_error(field if field in self.fields else None, message)


class FindStoreForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="The address you signed up with.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class StoreDeleteForm(forms.Form):
    confirmation = forms.CharField(
        label="Type the store's address to confirm",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class StoreProfileAdminForm(forms.ModelForm):
    """The operator's edit form for a store; the rules are services.store_profile_clean's."""

    class Meta:
        model = Tenant
        fields = ["name", "owner_email", "plan", "currency", "language", "timezone"]
        widgets = {"language": forms.Select(choices=settings.LANGUAGES)}

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        fields = services.StoreProfile.__dataclass_fields__
        try:
            profile = services.store_profile_clean(
                services.StoreProfile(**{field: cleaned.get(field, "") for field in fields})
            )
        except ApplicationError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
            return cleaned
        cleaned.update(vars(profile))
        return cleaned

    def profile(self) -> "services.StoreProfile":
        fields = services.StoreProfile.__dataclass_fields__
        return services.StoreProfile(**{field: self.cleaned_data[field] for field in fields})
