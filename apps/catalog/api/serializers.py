"""Catalog API serializers. Input serializers only check shapes and types and hand the values to
apps.catalog.services, which own every business rule (their ApplicationError becomes the one
error shape). Output: products and variants are plain dicts from apps.catalog.api.queries (their
serializers here document that shape for OpenAPI); categories and collections use these
serializers directly.
"""

from django.core.files.storage import default_storage
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.catalog.images import THUMBNAIL_SIZES
from apps.catalog.models import (
    Attribute,
    Category,
    Collection,
    OptionValue,
    Product,
    ProductType,
)


def _money_field(**kwargs) -> serializers.DecimalField:
    # No bounds here: the services answer with the catalog's own codes (price_negative...).
    return serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)


# --- categories ---------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = [
            "id",
            "parent",
            "name",
            "slug",
            "path",
            "depth",
            "position",
            "description",
            "image",
            "seo_title",
            "seo_description",
            "created",
            "updated",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.CharField(allow_blank=True, help_text="The image's URL; empty without one.")
    )
    def get_image(self, category: Category) -> str:
        return default_storage.url(category.image.name) if category.image else ""


@extend_schema_field(OpenApiTypes.BINARY)
class ImageUploadField(serializers.FileField):
    """An uploaded image, documented as the file it is (a plain FileField is shown as a URI,
    which is what it reads back as, not what a client sends)."""


class CategoryWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.CharField(max_length=120, required=False, allow_blank=True)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    description = serializers.CharField(required=False, allow_blank=True)
    position = serializers.IntegerField(required=False, min_value=0)
    seo_title = serializers.CharField(max_length=70, required=False, allow_blank=True)
    seo_description = serializers.CharField(max_length=160, required=False, allow_blank=True)
    # Only "is it a file" here: size, real image and format are the service's checks (the
    # catalog's image_too_large / image_invalid codes, as for product images). An empty file
    # is let through for the same reason. null (JSON) or an empty value (multipart) removes.
    image = ImageUploadField(
        required=False,
        allow_null=True,
        allow_empty_file=True,
        help_text="JPEG, PNG, WebP or GIF (multipart/form-data); null or empty removes it.",
    )


# --- collections --------------------------------------------------------------------------


class CollectionSerializer(serializers.ModelSerializer):
    product_ids = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="The collection's products in their hand-picked order (published ones only "
        "for shoppers).",
    )

    class Meta:
        model = Collection
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "is_published",
            "is_featured",
            "seo_title",
            "seo_description",
            "product_ids",
            "created",
            "updated",
        ]
        read_only_fields = fields


class CollectionWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.CharField(max_length=120, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    is_published = serializers.BooleanField(required=False)
    is_featured = serializers.BooleanField(required=False)
    seo_title = serializers.CharField(max_length=70, required=False, allow_blank=True)
    seo_description = serializers.CharField(max_length=160, required=False, allow_blank=True)
    product_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="All the collection's products, in order (replaces the list).",
    )


# --- products (output shape, documentation only: built by queries.product_present) --------


class OptionValueOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    option_type = serializers.CharField(help_text="Option type slug, e.g. size.")
    value = serializers.CharField()
    slug = serializers.CharField()


class VariantOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField(help_text='e.g. "M / Blue"; empty for a default variant.')
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    compare_at_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, required=False, help_text="Staff only."
    )
    weight_grams = serializers.IntegerField(allow_null=True)
    barcode = serializers.CharField(allow_blank=True)
    position = serializers.IntegerField()
    is_default = serializers.BooleanField()
    option_values = OptionValueOutSerializer(many=True)


class VariantListOutSerializer(VariantOutSerializer):
    product = serializers.IntegerField(help_text="Product id.")
    updated = serializers.DateTimeField()


class ThumbnailsSerializer(serializers.Serializer):
    def get_fields(self) -> dict:
        return {size: serializers.CharField() for size in THUMBNAIL_SIZES}


class ProductImageOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    alt_text = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    position = serializers.IntegerField()
    thumbnails = ThumbnailsSerializer(help_text="URL of each size the storefront uses.")


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    path = serializers.CharField()


class ProductTypeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class AttributeValueOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The attribute's id.")
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Attribute.Kind.choices)
    unit = serializers.CharField(allow_blank=True)
    value = serializers.JSONField(
        help_text='By kind: text, a string; number, a decimal string ("1.25"); boolean, true '
        'or false; choice, {"id", "value", "slug"}.'
    )


class ProductOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField(allow_blank=True, help_text="Sanitised HTML.")
    status = serializers.ChoiceField(choices=Product.Status.choices)
    category = CategoryRefSerializer(allow_null=True)
    product_type = ProductTypeRefSerializer(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    seo_title = serializers.CharField(allow_blank=True)
    seo_description = serializers.CharField(allow_blank=True)
    currency = serializers.CharField(help_text="ISO 4217 code of every price.")
    price_min = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    price_max = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    variants = VariantOutSerializer(many=True)
    images = ProductImageOutSerializer(many=True)
    attributes = AttributeValueOutSerializer(many=True, help_text="In attribute name order.")
    created = serializers.DateTimeField()
    updated = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)


# --- product and variant input ------------------------------------------------------------


class ProductWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(
        required=False, allow_blank=True, help_text="HTML; sanitised on save."
    )
    product_type = serializers.PrimaryKeyRelatedField(
        queryset=ProductType.objects.all(), required=False, allow_null=True
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, help_text="Tag names."
    )
    seo_title = serializers.CharField(max_length=70, required=False, allow_blank=True)
    seo_description = serializers.CharField(max_length=160, required=False, allow_blank=True)
    price = _money_field(
        required=False,
        allow_null=True,
        help_text="Price of the default variant (products without options only).",
    )
    sku = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="SKU of the default variant; generated from the slug when omitted.",
    )
    compare_at_price = _money_field(required=False, allow_null=True)
    attributes = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        help_text="Attribute slug to value (of the product type's attributes; typed by kind: "
        "text, number, true/false, or a choice's slug or id); null removes the value.",
    )


class VariantWriteSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(), help_text="Product id (on create only)."
    )
    sku = serializers.CharField(max_length=64)
    price = _money_field()
    compare_at_price = _money_field(required=False, allow_null=True)
    cost = _money_field(required=False, allow_null=True)
    weight_grams = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    barcode = serializers.CharField(max_length=64, required=False, allow_blank=True)
    position = serializers.IntegerField(required=False, min_value=0)
    option_values = serializers.PrimaryKeyRelatedField(
        queryset=OptionValue.objects.all(),
        many=True,
        required=False,
        help_text="Option value ids, one per option type of the product's type.",
    )


class ProductImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG, WebP or GIF.")
    alt_text = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="What the image shows (needed before publishing).",
    )
    position = serializers.IntegerField(required=False, min_value=0)


class ProductImageUpdateSerializer(serializers.Serializer):
    alt_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    position = serializers.IntegerField(required=False, min_value=0)
