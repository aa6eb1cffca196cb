"""POST bodies of the product admin's change page (the form plus its two inline formsets)."""

from typing import Any

PRODUCTS = "/admin/catalog/product/"


def formset_data(prefix: str, rows: list[dict[str, Any]], *, initial: int = 0) -> dict[str, Any]:
    """Management form and rows of an inline formset; the first `initial` rows are existing
    objects (each row then carries its "id")."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def product_data(
    *,
    variants: list[dict[str, Any]] = (),
    images: list[dict[str, Any]] = (),
    variants_initial: int = 0,
    images_initial: int = 0,
    **fields: Any,
) -> dict[str, Any]:
    data = {
        "name": "Linen shirt",
        "slug": "",
        "status": "draft",
        "product_type": "",
        "category": "",
        "tags": "",
        "description": "",
        "seo_title": "",
        "seo_description": "",
        **fields,
    }
    data.update(formset_data("variants", list(variants), initial=variants_initial))
    data.update(formset_data("images", list(images), initial=images_initial))
    return data


def variant_row(sku: str, price: str, **fields: Any) -> dict[str, Any]:
    return {
        "sku": sku,
        "price": price,
        "compare_at_price": "",
        "cost": "",
        "weight_grams": "",
        "barcode": "",
        "position": "0",
        **fields,
    }


def field_errors(response, field: str, *, prefix: str | None = None, index: int = 0) -> list:
    """The errors the re-rendered page shows on one field (of the main form or of an inline
    row)."""
    if prefix is None:
        return list(response.context["adminform"].form.errors.get(field, []))
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return list(inline.formset.forms[index].errors.get(field, []))
    raise AssertionError(f"no inline formset {prefix!r} on the page")
