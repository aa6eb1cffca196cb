"""Forms of the storefront checkout and the order page. They shape and check input; the rules
(addresses per country, which methods apply, card checks, prices) live in the services, whose
refusals land on the fields here through apps.core.forms.form_errors_add.

Address fields are optional at this level on purpose: what a country requires (a state in the
US, no postcode in Hong Kong) is apps.core.addresses' call, with its own words.
"""

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import cache
from hashlib import sha256
from secrets import token_urlsafe

from django import forms
from django.core import signing

from apps.core.addresses import ADDRESS_FIELDS, country_codes, country_name
from apps.core.money import Money
from apps.payments.services import PaymentMethod
from apps.shipping.providers.base import ShippingRate

# How long a review page's "Place order" stays good (a shopper may pause, not for days).
PLACE_TOKEN_MAX_AGE = 60 * 60 * 24
PLACE_TOKEN_SALT = "checkout.place-order"  # noqa: S105 (a signing salt, not a secret)
# Words of a country's name kept in lower case ("Bosnia and Herzegovina").
_SMALL_WORDS = frozenset({"and", "of", "the", "da", "du", "es"})


class FieldErrorsMixin:
    """Each field's error list is tied to its input (`aria-describedby`), also for errors a
    service raised after validation; Django marks such inputs `aria-invalid` itself."""

    optional_fields: frozenset[str] = frozenset()
    section = ""  # what the error summary puts before a field's label

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            attrs = self.fields[name].widget.attrs
            described_by = attrs.get("aria-describedby", "").split()
            if bound.help_text:
                described_by.append(f"{bound.auto_id}_helptext")
            described_by.append(f"{bound.auto_id}_error")
            attrs["aria-describedby"] = " ".join(dict.fromkeys(described_by))


def _country_label(code: str) -> str:
    """The address data's postal name ("CONGO (DEM. REP.)") in title case ("Congo (Dem.
    Rep.)"), small words lower case after the first ("Bosnia and Herzegovina")."""
    first = True

    def word(match: re.Match) -> str:
        nonlocal first
        text = match.group(0)
        after_apostrophe = match.start() and match.string[match.start() - 1] == "'"
        keep_small = not first and (text in _SMALL_WORDS or (after_apostrophe and text == "s"))
        first = False
        return text if keep_small else text[:1].upper() + text[1:]

    return re.sub(r"[^\W\d_]+", word, country_name(code).lower())


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """Every country the address data knows, by name (the data ships with the package and
    never changes while the process runs: one list per process). Names the data gives to two
    codes (Jersey and Guernsey are both "Channel Islands") carry their code."""
    labels = {code: _country_label(code) for code in country_codes()}
    counts = Counter(labels.values())
    countries = sorted(
        (code, label if counts[label] == 1 else f"{label} ({code})")
        for code, label in labels.items()
    )
    return (("", "Choose a country"), *sorted(countries, key=lambda choice: choice[1]))


def _text(label: str, *, max_length: int, autocomplete: str = "", **attrs) -> forms.CharField:
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs=attrs),
    )


class AddressForm(FieldErrorsMixin, forms.Form):
    """A postal address; its prefix ("shipping", "billing", "address") also names the
    autofill section, so browsers fill the right set."""

    optional_fields = frozenset({"first_name", "company", "street_address_2", "phone"})

    first_name = _text("First name", max_length=128, autocomplete="given-name")
    last_name = _text("Last name", max_length=128, autocomplete="family-name")
    company = _text("Company", max_length=128, autocomplete="organization")
    street_address_1 = _text("Street address", max_length=255, autocomplete="address-line1")
    street_address_2 = _text(
        "Flat, suite or building", max_length=255, autocomplete="address-line2"
    )
    city = _text("Town or city", max_length=128, autocomplete="address-level2")
    postal_code = _text(
        "Postcode or ZIP code",
        max_length=20,
        autocomplete="postal-code",
        autocapitalize="characters",
    )
    country_area = forms.CharField(
        label="State, province or region",
        max_length=128,
        required=False,
        help_text="Only where your country's addresses have one (a US state, a Canadian province).",
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    country_code = forms.ChoiceField(
        label="Country",
        required=False,
        choices=(),
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=32,
        required=False,
        help_text="In case the courier needs to reach you.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country_code"].choices = country_choices()
        autofill = self.prefix or ""
        if autofill in ("shipping", "billing"):
            # Named for the error summary ("Billing address: Town or city").
            self.section = f"{autofill.capitalize()} address: "
            for field in self.fields.values():
                token = field.widget.attrs.get("autocomplete")
                if token:
                    field.widget.attrs["autocomplete"] = f"{autofill} {token}"

    def address_data(self) -> dict[str, str]:
        """The typed address with Address's field names (the service validates it)."""
        data = dict.fromkeys(ADDRESS_FIELDS, "")
        data.update({name: self.cleaned_data.get(name) or "" for name in self.fields})
        return data

    @staticmethod
    def initial_from(address: dict | None) -> dict[str, str]:
        return {name: (address or {}).get(name, "") for name in ADDRESS_FIELDS}


class ContactForm(FieldErrorsMixin, forms.Form):
    """The checkout's first step besides the addresses: who to write to, where to bill, and
    (signed-in customers) whether to keep the address."""

    # Checked by the checkout service (with the addresses, so every error shows at once).
    email = forms.CharField(
        label="Email address",
        max_length=254,
        required=False,
        help_text="We send your order confirmation here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    billing_same = forms.BooleanField(
        label="My billing address is the same as the shipping address",
        required=False,
        initial=True,
    )
    save_address = forms.BooleanField(
        label="Save this address in my account", required=False, initial=True
    )

    def __init__(self, *args, signed_in: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not signed_in:
            del self.fields["save_address"]


def _money_label(amount: Decimal, currency: str) -> str:
    return "Free" if amount == 0 else str(Money(amount, currency))


class NotShownBackInput(forms.TextInput):
    """A text input that never puts the submitted value back into the page (card number,
    security code): after an error the shopper types it again, and it stays out of caches,
    history and screenshots."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class ShippingMethodForm(FieldErrorsMixin, forms.Form):
    shipping_method = forms.ChoiceField(
        label="Shipping method",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a shipping method.", "invalid_choice": (
            "This shipping method is not available for this address and order; choose another."
        )},
    )  # fmt: skip

    def __init__(self, *args, options: list[ShippingRate], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["shipping_method"].choices = [
            (rate.method_id, f"{rate.name}: {_money_label(rate.amount, rate.currency)}")
            for rate in options
        ]


class PaymentMethodForm(FieldErrorsMixin, forms.Form):
    payment_method = forms.ChoiceField(
        label="Payment method",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how you want to pay.",
            "invalid_choice": "This payment method is not available; choose another.",
        },
    )

    def __init__(self, *args, methods: list[PaymentMethod], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.methods = methods
        self.fields["payment_method"].choices = [(m.code, m.name) for m in methods]

    def method(self) -> PaymentMethod:
        code = self.cleaned_data["payment_method"]
        return next(method for method in self.methods if method.code == code)


class CardForm(FieldErrorsMixin, forms.Form):
    """Card details for a provider that takes them here (payment_data). The number and the
    code are never rendered back into the page."""

    number = forms.CharField(
        label="Card number",
        max_length=23,
        required=False,
        widget=NotShownBackInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    exp_month = forms.CharField(
        label="Expiry month (MM)",
        max_length=2,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp-month", "inputmode": "numeric"}),
    )
    exp_year = forms.CharField(
        label="Expiry year (YYYY)",
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp-year", "inputmode": "numeric"}),
    )
    cvc = forms.CharField(
        label="Security code (CVC)",
        max_length=4,
        required=False,
        help_text="The 3 or 4 digits on the back of the card.",
        widget=NotShownBackInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "card")
        super().__init__(*args, **kwargs)

    def payment_data(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


def checkout_digest(checkout_token: str) -> str:
    """Names a checkout inside a place-order token without showing its token."""
    return sha256(checkout_token.encode()).hexdigest()[:16]


def place_token_make(*, checkout_token: str, total: Decimal) -> str:
    """The hidden token of the review page's "Place order": a fresh random nonce (the order's
    idempotency key: a double click or a resubmit sends the same one and gets the same order),
    the total the shopper saw and the checkout it was shown for, signed so none can be made up
    or changed."""
    return signing.dumps(
        {"n": token_urlsafe(16), "t": str(total), "c": checkout_digest(checkout_token)},
        salt=PLACE_TOKEN_SALT,
        compress=True,
    )


class PlaceOrderForm(forms.Form):
    place_token = forms.CharField(widget=forms.HiddenInput, max_length=400)

    stale_message = "This page was out of date. Check your order and place it again."

    def clean_place_token(self) -> dict:
        try:
            payload = signing.loads(
                self.cleaned_data["place_token"],
                salt=PLACE_TOKEN_SALT,
                max_age=PLACE_TOKEN_MAX_AGE,
            )
            total = Decimal(payload["t"])
            nonce, digest = str(payload["n"]), str(payload["c"])
        except (signing.BadSignature, KeyError, TypeError, InvalidOperation):
            raise forms.ValidationError(self.stale_message, code="stale") from None
        return {"idempotency_key": f"storefront:{nonce}", "total": total, "checkout": digest}
