"""Storefront account forms. They validate input; rules live in apps.accounts.services."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

from apps.core.exceptions import ApplicationError


class AccessibleFormMixin:
    """Ties each field's error list to its input (`aria-describedby`), so a screen reader reads
    the error with the field; Django already marks such inputs `aria-invalid`."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self[name]
            widget_attrs = self.fields[name].widget.attrs
            described_by = widget_attrs.get("aria-describedby", "").split()
            if field.help_text:
                described_by.append(f"{field.auto_id}_helptext")
            described_by.append(f"{field.auto_id}_error")
            widget_attrs["aria-describedby"] = " ".join(dict.fromkeys(described_by))

    def application_error_add(self, error: ApplicationError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, forms.ValidationError(error.message, code=error.code))


class RegisterForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        help_text="At least 8 characters; not only digits, and not a common password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class LoginForm(AccessibleFormMixin, AuthenticationForm):
    """Email and password; the account must exist in this store."""

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )


class PasswordResetRequestForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class PasswordSetForm(AccessibleFormMixin, SetPasswordForm):
    pass
