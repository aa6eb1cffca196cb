"""Forms of the shipping admin: input shapes only; apps.shipping.services decide and save."""

from django import forms

from apps.core.addresses import Address
from apps.core.admin_forms import ServiceModelForm
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_errors_add
from apps.shipping.models import ShippingBracket, ShippingMethod, ShippingZone

_LIST_FIELDS = ("countries", "regions", "postcodes")
PICKUP_FIELDS = (
    "company",
    "street_address_1",
    "street_address_2",
    "city",
    "postal_code",
    "country_area",
    "country_code",
    "phone",
)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class ShippingZoneAdminForm(ServiceModelForm):
    countries = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="ISO country codes, separated by commas (US, CA). Leave empty for a "
        '"rest of the world" zone: every address no other zone covers.',
    )
    regions = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="Optional: only these states or provinces, as country-area (US-CA, CA-QC).",
    )
    postcodes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='Optional: only these postcodes: a prefix ("SW1*"), a range ("10000-14999") '
        "or an exact postcode, separated by commas. The most specific matching zone applies: "
        "postcodes, then regions, then countries, then the rest of the world; ties by position.",
    )

    class Meta:
        model = ShippingZone
        fields = ["name", "countries", "regions", "postcodes", "position"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in _LIST_FIELDS:
            self.initial[name] = ", ".join(getattr(self.instance, name) or [])

    def _get_validation_exclusions(self):
        # The services check these lists (with their own messages), not the model's fields.
        return super()._get_validation_exclusions() | set(_LIST_FIELDS)

    def clean_countries(self) -> list[str]:
        return _split(self.cleaned_data.get("countries") or "")

    def clean_regions(self) -> list[str]:
        return _split(self.cleaned_data.get("regions") or "")

    def clean_postcodes(self) -> list[str]:
        return _split(self.cleaned_data.get("postcodes") or "")

    @property
    def changed_data(self) -> list[str]:
        changed = super().changed_data
        if hasattr(self, "cleaned_data"):
            # The boxes compare as text: "US,CA" and "US, CA" are the same list.
            for name in _LIST_FIELDS:
                before = _split(self.initial.get(name) or "")
                if name in changed and self.cleaned_data.get(name) == before:
                    changed.remove(name)
        return changed


class ShippingMethodInlineForm(ServiceModelForm):
    class Meta:
        model = ShippingMethod
        fields = [
            "name",
            "rate_type",
            "amount",
            "free_over",
            "delivery_estimate",
            "active",
            "position",
        ]


METHOD_FIELDS = [
    "zone",
    "name",
    "description",
    "rate_type",
    "amount",
    "free_over",
    "delivery_estimate",
    "active",
    "position",
]


class ShippingMethodAdminForm(ServiceModelForm):
    """The method with its pickup address as separate inputs (stored as one Address)."""

    pickup_company = forms.CharField(required=False, label="Pickup point name")
    pickup_street_address_1 = forms.CharField(required=False, label="Street address")
    pickup_street_address_2 = forms.CharField(required=False, label="Street address (line 2)")
    pickup_city = forms.CharField(required=False, label="City")
    pickup_postal_code = forms.CharField(required=False, label="Postcode")
    pickup_country_area = forms.CharField(required=False, label="State / province")
    pickup_country_code = forms.CharField(required=False, label="Country code", max_length=2)
    pickup_phone = forms.CharField(required=False, label="Phone")

    class Meta:
        model = ShippingMethod
        fields = METHOD_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        address = Address.from_dict(self.instance.pickup_address or {})
        for name in PICKUP_FIELDS:
            self.initial[f"pickup_{name}"] = getattr(address, name)

    def pickup_address(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"pickup_{name}") or "" for name in PICKUP_FIELDS}

    def service_error_add(self, error: ApplicationError) -> None:
        if error.field == "pickup_address":
            self.add_error("pickup_street_address_1", error.message)
            return
        form_errors_add(
            self,
            error,
            prefix="pickup_address.",
            field_map={name: f"pickup_{name}" for name in PICKUP_FIELDS},
        )


class ShippingBracketInlineForm(ServiceModelForm):
    class Meta:
        model = ShippingBracket
        fields = ["lower", "upper", "amount"]
        labels = {"lower": "From (inclusive)", "upper": "Up to (exclusive; empty: no limit)"}
