"""The catalog of one store: categories, product types and options, products, variants, images.

Invariants that must never break are database constraints; every write goes through
apps.catalog.services (which keeps the search vector, paths and default variants right).
Prices are Decimal in the store's currency (Tenant.currency).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

MONEY = {"max_digits": 12, "decimal_places": 2}


class SeoFields(models.Model):
    seo_title = models.CharField(max_length=70, blank=True)
    seo_description = models.CharField(max_length=160, blank=True)

    class Meta:
        abstract = True


class Timestamped(models.Model):
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Category(SeoFields, Timestamped):
    """A node of the category tree, kept as a materialised path of slugs ("men/shirts").

    `path` and `depth` are derived from the parent chain by services.category_* (never edited
    by hand); descendants are `path` prefix matches, one indexed query.
    """

    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    path = models.CharField(max_length=500, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    position = models.PositiveIntegerField(default=0)
    description = models.TextField(blank=True)
    image = models.ImageField(upload_to="catalog/categories/", blank=True)

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"], name="catalog_category_unique_slug_per_parent"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(parent__isnull=True),
                name="catalog_category_unique_root_slug",
            ),
        ]
        indexes = [
            models.Index(fields=["parent", "position"], name="catalog_cat_parent_pos"),
            models.Index(
                fields=["path"], name="catalog_cat_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.path.replace("/", " / ") if self.path else self.name


class ListEntry(models.Model):
    """One entry of a merchant-ordered list: an option type's values, a choice attribute's
    choices. `slug` is derived from `value` by the services and unique within its list."""

    value = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class OptionType(models.Model):
    """What a shopper chooses between, e.g. Size or Colour."""

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)
    # The order of the storefront's option pickers (Colour before Size), then the name.
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class OptionValue(ListEntry):
    option_type = models.ForeignKey(OptionType, related_name="values", on_delete=models.CASCADE)

    class Meta:
        ordering = ["option_type_id", "position", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["option_type", "slug"], name="catalog_optionvalue_unique_slug"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option_type.name}: {self.value}"


class Attribute(models.Model):
    """A typed fact about products of a type (material, waterproof, weight class...)."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        NUMBER = "number", "Number"
        BOOLEAN = "boolean", "Yes / no"
        CHOICE = "choice", "Choice"

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    unit = models.CharField(max_length=20, blank=True, help_text="For numbers, e.g. cm or kg.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AttributeChoice(ListEntry):
    attribute = models.ForeignKey(Attribute, related_name="choices", on_delete=models.CASCADE)

    class Meta:
        ordering = ["attribute_id", "position", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["attribute", "slug"], name="catalog_attrchoice_unique_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.value


class ProductType(models.Model):
    """Which options a product's variants vary by, and which attributes describe it."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    option_types = models.ManyToManyField(OptionType, blank=True, related_name="product_types")
    attributes = models.ManyToManyField(Attribute, blank=True, related_name="product_types")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(SeoFields, Timestamped):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    # Sanitised HTML (nh3) from the Quill editor; never rendered unsanitised.
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    product_type = models.ForeignKey(
        ProductType, null=True, blank=True, related_name="products", on_delete=models.PROTECT
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, related_name="products", on_delete=models.SET_NULL
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="products")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Denormalised for fast lists, kept by services: the cheapest variant's price and whether
    # any variant can be bought.
    price_min = models.DecimalField(**MONEY, null=True, blank=True, editable=False)
    price_max = models.DecimalField(**MONEY, null=True, blank=True, editable=False)
    # Weighted full-text document: name (A) > SKUs (B) > description (C); kept by services.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="catalog_product_search"),
            GinIndex(fields=["name"], name="catalog_product_name_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(fields=["status", "-published_at", "-id"], name="catalog_product_listing"),
            models.Index(fields=["category", "status"], name="catalog_product_category"),
            models.Index(fields=["status", "price_min"], name="catalog_product_price"),
            models.Index(fields=["updated", "id"], name="catalog_product_sync"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="catalog_product_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProductAttributeValue(models.Model):
    """One attribute's value for one product; the column used depends on Attribute.kind."""

    product = models.ForeignKey(Product, related_name="attribute_values", on_delete=models.CASCADE)
    attribute = models.ForeignKey(Attribute, related_name="+", on_delete=models.CASCADE)
    value_text = models.CharField(max_length=255, blank=True)
    value_number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    value_boolean = models.BooleanField(null=True, blank=True)
    value_choice = models.ForeignKey(
        AttributeChoice, null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "attribute"], name="catalog_attrvalue_unique_per_product"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attribute_id}={self.value_text or self.value_number or self.value_choice_id}"


class Variant(Timestamped):
    """What is actually bought: a product in one combination of option values."""

    product = models.ForeignKey(Product, related_name="variants", on_delete=models.CASCADE)
    sku = models.CharField(max_length=64, unique=True)
    # "M / Blue", derived from the option values by services; empty for a default variant.
    name = models.CharField(max_length=200, blank=True)
    option_values = models.ManyToManyField(OptionValue, blank=True, related_name="variants")
    price = models.DecimalField(**MONEY)
    compare_at_price = models.DecimalField(**MONEY, null=True, blank=True)
    cost = models.DecimalField(**MONEY, null=True, blank=True)
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    barcode = models.CharField(max_length=64, blank=True)
    position = models.PositiveIntegerField(default=0)
    # The single variant of a product without options.
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["product_id", "position", "id"]
        indexes = [
            models.Index(fields=["product", "position"], name="catalog_variant_product_pos"),
            models.Index(fields=["price"], name="catalog_variant_price"),
            models.Index(fields=["updated", "id"], name="catalog_variant_sync"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="catalog_variant_price_gte_0"),
            models.CheckConstraint(
                condition=Q(compare_at_price__isnull=True) | Q(compare_at_price__gte=0),
                name="catalog_variant_compare_at_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="catalog_variant_cost_gte_0"
            ),
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(is_default=True),
                name="catalog_variant_one_default_per_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} — {self.name}" if self.name else self.product.name


class ProductImage(models.Model):
    """An ordered product image, stored under the store's prefix; thumbnails made once."""

    product = models.ForeignKey(Product, related_name="images", on_delete=models.CASCADE)
    image = models.ImageField(
        upload_to="catalog/products/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    # {"<size name>": "<storage path>"} for the sizes the storefront uses (services.thumbnails).
    thumbnails = models.JSONField(default=dict, blank=True, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["product_id", "position", "id"]
        indexes = [models.Index(fields=["product", "position"], name="catalog_image_product_pos")]

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class Collection(SeoFields, Timestamped):
    """A hand-picked, ordered set of products (e.g. "Summer picks" on the home page)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_published = models.BooleanField(default=False, db_index=True)
    is_featured = models.BooleanField(
        default=False, help_text="Shown on the storefront's home page."
    )
    products = models.ManyToManyField(
        Product, through="CollectionProduct", related_name="collections", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CollectionProduct(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="entries")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["collection_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "product"], name="catalog_collection_unique_product"
            ),
        ]
        indexes = [
            models.Index(fields=["collection", "position"], name="catalog_coll_entry_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}#{self.position}: {self.product_id}"


class ProductDocument(models.Model):
    """A product's public API object as JSON text, rendered once (apps.catalog.api.documents);
    valid while `key` matches the store's current document key. Not edited by anything else.

    No foreign key constraint in the database: a read that stores documents must not fail
    when a product is deleted meanwhile (the document would only be an orphan, never read:
    product ids are not reused). Django still deletes a product's document with it."""

    product = models.OneToOneField(
        Product,
        primary_key=True,
        related_name="+",
        on_delete=models.CASCADE,
        db_constraint=False,
    )
    key = models.CharField(max_length=32)
    body = models.TextField()

    def __str__(self) -> str:
        return f"document of product {self.product_id}"
