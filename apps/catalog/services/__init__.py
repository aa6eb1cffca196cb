"""Every write to the catalog. Views, the API, the admin, seeds and tests call these.

Each service is atomic, keeps the derived data right (category paths, default variants,
variant names, price range, search document) and bumps the store's catalog version on commit.
"""

from apps.catalog.services.categories import category_create, category_delete, category_update
from apps.catalog.services.collections import (
    collection_create,
    collection_delete,
    collection_set_products,
    collection_update,
)
from apps.catalog.services.product_images import (
    product_image_add,
    product_image_delete,
    product_image_update,
)
from apps.catalog.services.products import (
    product_attribute_set,
    product_create,
    product_delete,
    product_duplicate,
    product_set_status,
    product_update,
    products_bulk_set_status,
)
from apps.catalog.services.types import (
    attribute_choice_add,
    attribute_choice_delete,
    attribute_choice_update,
    attribute_choices_reorder,
    attribute_create,
    attribute_delete,
    attribute_update,
    option_type_create,
    option_type_delete,
    option_type_update,
    option_value_add,
    option_value_delete,
    option_value_update,
    option_values_reorder,
    product_type_create,
    product_type_delete,
    product_type_update,
)
from apps.catalog.services.variants import variant_create, variant_delete, variant_update

__all__ = [
    "attribute_choice_add",
    "attribute_choice_delete",
    "attribute_choice_update",
    "attribute_choices_reorder",
    "attribute_create",
    "attribute_delete",
    "attribute_update",
    "category_create",
    "category_delete",
    "category_update",
    "collection_create",
    "collection_delete",
    "collection_set_products",
    "collection_update",
    "option_type_create",
    "option_type_delete",
    "option_type_update",
    "option_value_add",
    "option_value_delete",
    "option_value_update",
    "option_values_reorder",
    "product_attribute_set",
    "product_create",
    "product_delete",
    "product_duplicate",
    "product_image_add",
    "product_image_delete",
    "product_image_update",
    "product_set_status",
    "product_type_create",
    "product_type_delete",
    "product_type_update",
    "product_update",
    "products_bulk_set_status",
    "variant_create",
    "variant_delete",
    "variant_update",
]
