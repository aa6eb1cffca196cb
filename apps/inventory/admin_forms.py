"""Forms of the inventory admin: input checks only; every write is a service call (admin.py).

Variants are picked by SKU (a text field, not a select of every variant in the store), and a
service's refusal lands on the field it names (`service_error_add`).
"""

from django import forms

from apps.catalog.models import Variant
from apps.core.admin_forms import ServiceModelForm
from apps.core.exceptions import ApplicationError
from apps.inventory.models import StockLocation
from apps.inventory.services._common import QUANTITY_MAX


class ServiceErrorsMixin:
    """Put a service's ApplicationError on the field it names (aliases map service argument
    names to this form's), else on the form."""

    service_field_aliases: dict[str, str] = {}

    def service_error_add(self, error: ApplicationError) -> None:
        field = self.service_field_aliases.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, error.message)


class StockLocationForm(ServiceModelForm):
    make_default = forms.BooleanField(
        required=False,
        label="Default location",
        help_text="Stock is received here unless another location is chosen, and orders are "
        "served from here first. The current default stops being it.",
    )
    service_field_aliases = {"is_default": "make_default"}

    class Meta:
        model = StockLocation
        fields = ["name", "code", "is_active", "position", "address"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_default:
            self.fields["make_default"].initial = True
            field = self.fields["make_default"]
            field.disabled = True
            field.help_text = "This is the default; make another location the default instead."


def _active_locations():
    return StockLocation.objects.filter(is_active=True)


class _VariantBySku(ServiceErrorsMixin, forms.Form):
    sku = forms.CharField(label="SKU", max_length=64)

    def clean_sku(self) -> str:
        sku = self.cleaned_data["sku"].strip()
        self.variant = Variant.objects.select_related("product").filter(sku=sku).first()
        if self.variant is None:
            raise forms.ValidationError("No variant has this SKU in this store.")
        return sku


_QUANTITY = {"min_value": 1, "max_value": QUANTITY_MAX}
_LOCATION_HELP = "Empty: the default location."


class ReceiveForm(_VariantBySku):
    location = forms.ModelChoiceField(
        queryset=_active_locations(), required=False, help_text=_LOCATION_HELP
    )
    quantity = forms.IntegerField(**_QUANTITY)
    reason = forms.CharField(max_length=255, required=False, help_text="e.g. “Delivery 17”.")
    reference = forms.CharField(
        max_length=120, required=False, help_text="Optional, e.g. “po:2024-17”."
    )


class AdjustForm(_VariantBySku):
    SET, CHANGE = "set", "change"
    location = forms.ModelChoiceField(
        queryset=StockLocation.objects.all(), required=False, help_text=_LOCATION_HELP
    )
    mode = forms.ChoiceField(
        choices=[(SET, "Set on hand to"), (CHANGE, "Change on hand by (+/-)")],
        initial=SET,
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(min_value=-QUANTITY_MAX, max_value=QUANTITY_MAX)
    reason = forms.CharField(max_length=255, help_text="Required, e.g. “stock-take”, “damaged”.")
    service_field_aliases = {"delta": "quantity"}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        key = "quantity" if data["mode"] == self.SET else "delta"
        return {key: data["quantity"]}


class TransferForm(_VariantBySku):
    from_location = forms.ModelChoiceField(
        queryset=StockLocation.objects.all(), required=False, help_text=_LOCATION_HELP
    )
    to_location = forms.ModelChoiceField(queryset=_active_locations())
    quantity = forms.IntegerField(**_QUANTITY)
    reason = forms.CharField(max_length=255, required=False)


class PolicyForm(ServiceErrorsMixin, forms.Form):
    track_inventory = forms.BooleanField(
        required=False, help_text="Count stock and refuse orders beyond it."
    )
    allow_backorders = forms.BooleanField(
        required=False, help_text="Keep selling when stock runs out (stock goes below zero)."
    )
    low_stock_threshold = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=QUANTITY_MAX,
        help_text="Listed as low (and emailed to staff) at or below this. Empty: never.",
    )
