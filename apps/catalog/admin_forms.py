"""Forms of the catalog admin: input checks only; every write is a service call (admin.py),
a refusal shown on its field (apps.core.admin_forms)."""

from django import forms

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
from apps.core.admin_forms import ServiceModelForm, as_validation_error
from apps.core.exceptions import ApplicationError


def _money_field_clean(form: forms.Form, name: str, *, required: bool = False):
    value = form.cleaned_data.get(name)
    try:
        return money_clean(value, field=name, required=required)
    except ApplicationError as exc:
        raise as_validation_error(exc) from None


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
