"""Forms of the catalog admin: input checks only; every write is a service call (admin.py).

A service's ApplicationError must land on the field it is about, with the rest of the input
kept. The admin (ServiceAdminMixin) runs the save; when a service refuses, the transaction is
rolled back and the same POST is validated a second time with the refusal attached as a
`ServiceFailure`: the form (or the inline formset row) it belongs to adds it as a field error,
so Django's own change page shows it next to the field with everything the merchant typed.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    Category,
    Collection,
    CollectionProduct,
    OptionType,
    OptionValue,
    Product,
    ProductImage,
    ProductType,
    Variant,
)
from apps.catalog.services._common import money_clean
from apps.catalog.widgets import RichTextField, StoreQuillWidget
from apps.core.exceptions import ApplicationError


@dataclass(frozen=True)
class ServiceFailure:
    """A service's refusal and where the admin sent the input from: the main form (prefix
    None) or row `index` of the inline formset `prefix`."""

    error: ApplicationError
    prefix: str | None = None
    index: int | None = None


def _no_constraint_checks(exclude=None) -> None:
    return


def _as_validation_error(error: ApplicationError) -> ValidationError:
    return ValidationError(error.message, code=error.code)


class ServiceModelForm(forms.ModelForm):
    """Model forms whose saving is done by services.

    Uniqueness is the services' rule (their messages, their locks), so the model's own unique
    checks are skipped here. `service_field_aliases` maps a service's field name to this form's
    (a service says "image_file", the form calls it "image").
    """

    service_failure: ServiceFailure | None = None
    service_field_aliases: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:  # the services make one from the name
            self.fields["slug"].required = False

    def _post_clean(self) -> None:
        # Uniqueness and the table's constraints are the services' rules (their messages, their
        # locks); the model's own checks would answer first, in Django's generic wording
        # ('Constraint "..." is violated.'). Field-level checks still run.
        self.instance.validate_constraints = _no_constraint_checks
        try:
            super()._post_clean()
        finally:
            del self.instance.validate_constraints

    def validate_unique(self) -> None:
        return

    def service_error_add(self, error: ApplicationError) -> None:
        field = self.service_field_aliases.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, _as_validation_error(error))

    def clean(self):
        cleaned = super().clean()
        if self.service_failure is not None and self.service_failure.prefix is None:
            self.service_error_add(self.service_failure.error)
        return cleaned


class ServiceInlineFormSet(BaseInlineFormSet):
    """Inline rows saved by services; a refusal from a row's service call lands on that row."""

    service_failure: ServiceFailure | None = None

    def clean(self) -> None:
        super().clean()
        failure = self.service_failure
        if failure is None or failure.prefix != self.prefix:
            return
        if failure.index is not None and 0 <= failure.index < len(self.forms):
            self.forms[failure.index].service_error_add(failure.error)
        else:
            raise _as_validation_error(failure.error)

    def _should_delete_form(self, form) -> bool:
        # A row whose deletion a service refused counts as kept (Django skips the errors of
        # rows marked for deletion), so the page comes back with the refusal on that row
        # instead of saving again (and failing again, as a 500).
        failure = self.service_failure
        if (
            failure is not None
            and failure.prefix == self.prefix
            and failure.index is not None
            and 0 <= failure.index < len(self.forms)
            and self.forms[failure.index] is form
        ):
            return False
        return super()._should_delete_form(form)


def _money_field_clean(form: forms.Form, name: str, *, required: bool = False):
    value = form.cleaned_data.get(name)
    try:
        return money_clean(value, field=name, required=required)
    except ApplicationError as exc:
        raise _as_validation_error(exc) from None


def _names(text: str) -> list[str]:
    return [name.strip() for name in str(text).split(",") if name.strip()]


class ProductAdminForm(ServiceModelForm):
    description = RichTextField(required=False)
    tags = forms.CharField(
        required=False,
        help_text="Comma-separated; new tags are created.",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    # Where the services' product-level refusals belong on this form.
    service_field_aliases = {
        "price": "status",  # publishing without a price
        "alt_text": "status",  # publishing with undescribed images
    }

    class Meta:
        model = Product
        fields = [
            "name",
            "slug",
            "status",
            "product_type",
            "category",
            "tags",
            "description",
            "seo_title",
            "seo_description",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # QuillFormField puts the stock (CDN) widget on itself whatever Meta.widgets says.
        if "description" in self.fields:
            self.fields["description"].widget = StoreQuillWidget()
        if "slug" in self.fields:
            self.fields["slug"].help_text = "The product's address; made from the name when empty."
        if self.instance.pk:
            # ModelForm's initial already holds the product's Tag objects (model_to_dict).
            tags = self.initial.get("tags") or []
            self.initial["tags"] = ", ".join(getattr(tag, "name", str(tag)) for tag in tags)

    def clean_tags(self) -> list[str]:
        return _names(self.cleaned_data.get("tags") or "")

    @property
    def changed_data(self) -> list[str]:
        changed = super().changed_data
        if "tags" in changed and hasattr(self, "cleaned_data"):
            # The text box compares as text: "a, b" and "a,b" are the same tags.
            before = _names(self.initial.get("tags") or "")
            if sorted(self.cleaned_data.get("tags") or []) == sorted(before):
                changed = [name for name in changed if name != "tags"]
        return changed


class VariantInlineForm(ServiceModelForm):
    class Meta:
        model = Variant
        fields = [
            "sku",
            "option_values",
            "price",
            "compare_at_price",
            "cost",
            "weight_grams",
            "barcode",
            "position",
        ]

    def clean_price(self):
        return _money_field_clean(self, "price", required=True)

    def clean_compare_at_price(self):
        return _money_field_clean(self, "compare_at_price")

    def clean_cost(self):
        return _money_field_clean(self, "cost")


class ProductImageInlineForm(ServiceModelForm):
    service_field_aliases = {"image_file": "image"}

    class Meta:
        model = ProductImage
        fields = ["image", "alt_text", "position"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "image" in self.fields:
            # An uploaded file stays what it is (services change alt text and order only);
            # replace an image by adding a new one and deleting the old.
            self.fields["image"].disabled = True


class CategoryAdminForm(ServiceModelForm):
    description = RichTextField(required=False)

    class Meta:
        model = Category
        fields = [
            "name",
            "slug",
            "parent",
            "position",
            "description",
            "image",
            "seo_title",
            "seo_description",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].widget = StoreQuillWidget()
        if self.instance.pk and "parent" in self.fields:
            # A category cannot move under itself or its own descendants.
            self.fields["parent"].queryset = Category.objects.exclude(
                path__startswith=f"{self.instance.path}/"
            ).exclude(pk=self.instance.pk)


class CollectionAdminForm(ServiceModelForm):
    class Meta:
        model = Collection
        fields = [
            "name",
            "slug",
            "description",
            "is_published",
            "is_featured",
            "seo_title",
            "seo_description",
        ]


class CollectionProductInlineForm(ServiceModelForm):
    class Meta:
        model = CollectionProduct
        fields = ["product", "position"]


class OptionTypeAdminForm(ServiceModelForm):
    class Meta:
        model = OptionType
        fields = ["name", "slug", "position"]
        help_texts = {
            "position": "Where its picker goes on product pages: lowest first, then by name.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "position" in self.fields:  # left empty: first, with the others at 0 (by name)
            self.fields["position"].required = False

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0


class OptionValueInlineForm(ServiceModelForm):
    service_field_aliases = {"values": "value"}

    class Meta:
        model = OptionValue
        fields = ["value", "position"]


class AttributeChoiceInlineForm(ServiceModelForm):
    service_field_aliases = {"choices": "value"}

    class Meta:
        model = AttributeChoice
        fields = ["value", "position"]


class AttributeAdminForm(ServiceModelForm):
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For the Choice kind: one choice per line.",
    )

    class Meta:
        model = Attribute
        fields = ["name", "slug", "kind", "unit"]

    def clean_choices(self) -> list[str]:
        raw = self.cleaned_data.get("choices") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]


class ProductTypeAdminForm(ServiceModelForm):
    class Meta:
        model = ProductType
        fields = ["name", "slug", "option_types", "attributes"]
