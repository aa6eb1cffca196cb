"""The catalog API: categories, collections, products (with variants and images) and variants.

Thin: input serializers check shapes, apps.catalog.services do every write (their
ApplicationError is the one error shape), reads are apps.catalog.api.queries (two queries per
page of products or variants, whatever its size) or plain querysets. Lists use keyset
pagination (apps.core.api.pagination): no COUNT(*), no OFFSET.
"""

from functools import partial

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.catalog import services
from apps.catalog.api import documents, queries
from apps.catalog.api.filters import (
    ORDERING_ANNOTATIONS,
    PRODUCT_ORDERINGS,
    RELEVANCE,
    RELEVANCE_ORDERING,
    CategoryFilter,
    ProductFilter,
    UpdatedSinceFilter,
    VariantFilter,
    published_collection_q,
    search_arguments,
    staff_products_filter,
)
from apps.catalog.api.permissions import CatalogPermission, is_staff
from apps.catalog.api.serializers import (
    CategorySerializer,
    CategoryWriteSerializer,
    CollectionSerializer,
    CollectionWriteSerializer,
    ProductImageOutSerializer,
    ProductImageUpdateSerializer,
    ProductImageUploadSerializer,
    ProductOutSerializer,
    ProductWriteSerializer,
    VariantListOutSerializer,
    VariantWriteSerializer,
)
from apps.catalog.models import (
    Category,
    Collection,
    CollectionProduct,
    Product,
    ProductImage,
    Variant,
)
from apps.catalog.search import product_search
from apps.core.api.input import validated_input
from apps.core.api.pagination import KeysetOrdering, KeysetPagination, SortKey
from apps.core.api.responses import json_page_response, json_text_response
from apps.core.exceptions import ApplicationError

ID_PATH = r"\d+"
CHANGE_PRODUCT = ["catalog.change_product"]


# Paging parameters, read by the paginator rather than by the filter serializers.
_PAGING_PARAMS = frozenset({"cursor", "limit"})


def _query_params(serializer_class, request: Request) -> dict:
    if _PAGING_PARAMS.issuperset(request.query_params):
        return {}  # the common unfiltered page: no serializer to build
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


def _currency(request: Request) -> str:
    return request.tenant.currency


def _wants_json(request: Request) -> bool:
    # The browsable API (text/html) still renders through DRF.
    return request.accepted_renderer.format == "json"


class CatalogViewSet(viewsets.GenericViewSet):
    permission_classes = [CatalogPermission]
    pagination_class = KeysetPagination
    lookup_value_regex = ID_PATH
    # Set per @action (e.g. publish needs catalog.change_product); see CatalogPermission.
    required_perms: list[str] | None = None

    def paginated(self, queryset: QuerySet, ordering: KeysetOrdering) -> list:
        """One page of `queryset` (cursor and limit from the request); the paginator keeps the
        next link for get_paginated_response."""
        return self.paginator.page(queryset, request=self.request, ordering=ordering).rows


# --- categories ---------------------------------------------------------------------------

CATEGORY_ORDERINGS = {
    "tree": KeysetOrdering(name="tree", keys=(SortKey("path", kind="str"),)),
    "updated": KeysetOrdering(
        name="updated", keys=(SortKey("updated", kind="datetime"), SortKey("id"))
    ),
}


# JSON, or multipart/form-data to send an image (same fields; the file in `image`).
CATEGORY_WRITE_BODIES = {
    "application/json": CategoryWriteSerializer,
    "multipart/form-data": CategoryWriteSerializer,
}
CATEGORY_IMAGE_HELP = (
    "Send multipart/form-data to upload `image` (JPEG, PNG, WebP or GIF, at most "
    "CATALOG_IMAGE_MAX_BYTES: `image_too_large`, `image_invalid`); the answer's `image` is "
    "its URL."
)


@extend_schema_view(
    list=extend_schema(
        summary="Categories",
        description="Every category, in tree order (parents before their children, by path); "
        "with `updated_since`, oldest change first.",
        parameters=[CategoryFilter],
    ),
    retrieve=extend_schema(summary="A category"),
    create=extend_schema(
        summary="Create a category",
        description=CATEGORY_IMAGE_HELP,
        request=CATEGORY_WRITE_BODIES,
        responses={201: CategorySerializer},
    ),
    partial_update=extend_schema(
        summary="Change a category",
        description=f"{CATEGORY_IMAGE_HELP} `image` null (or empty in a form) removes it.",
        request=CATEGORY_WRITE_BODIES,
        responses=CategorySerializer,
    ),
    destroy=extend_schema(summary="Delete an empty category (its products stay)"),
)
class CategoryViewSet(CatalogViewSet):
    perm_model = "category"
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def list(self, request: Request) -> Response:
        params = _query_params(CategoryFilter, request)
        queryset = Category.objects.all()
        parent = params.get("parent")
        if parent == "root":
            queryset = queryset.filter(parent__isnull=True)
        elif parent:
            if not parent.isdigit():
                raise ApplicationError(
                    'Give a category id or "root".', code="parent_invalid", field="parent"
                )
            queryset = queryset.filter(parent_id=int(parent))
        ordering = CATEGORY_ORDERINGS["tree"]
        if params.get("updated_since"):
            queryset = queryset.filter(updated__gte=params["updated_since"])
            ordering = CATEGORY_ORDERINGS["updated"]
        rows = self.paginated(queryset, ordering)
        return self.paginator.get_paginated_response(CategorySerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(CategorySerializer(get_object_or_404(Category, pk=pk)).data)

    def create(self, request: Request) -> Response:
        category = services.category_create(**validated_input(CategoryWriteSerializer, request))
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        category = get_object_or_404(Category, pk=pk)
        fields = validated_input(CategoryWriteSerializer, request, partial=True)
        category = services.category_update(category=category, **fields)
        return Response(CategorySerializer(category).data)

    def destroy(self, request: Request, pk: str) -> Response:
        services.category_delete(category=get_object_or_404(Category, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- collections --------------------------------------------------------------------------

COLLECTION_ORDERINGS = {
    "name": KeysetOrdering(name="name", keys=(SortKey("name", kind="str"), SortKey("id"))),
    "updated": CATEGORY_ORDERINGS["updated"],
}


def _collections(request: Request) -> QuerySet[Collection]:
    staff = is_staff(request)
    entries = CollectionProduct.objects.filter(collection=OuterRef("pk"))
    if not staff:
        entries = entries.filter(product__status=Product.Status.PUBLISHED)
    queryset = Collection.objects.annotate(
        product_ids=ArraySubquery(entries.order_by("position", "id").values("product_id"))
    )
    return queryset if staff else queryset.filter(is_published=True)


@extend_schema_view(
    list=extend_schema(
        summary="Collections",
        description="Published collections (staff: all), by name; with `updated_since`, "
        "oldest change first.",
        parameters=[UpdatedSinceFilter],
    ),
    retrieve=extend_schema(summary="A collection"),
    create=extend_schema(
        summary="Create a collection",
        request=CollectionWriteSerializer,
        responses=CollectionSerializer,
    ),
    partial_update=extend_schema(
        summary="Change a collection (product_ids replaces its products, in order)",
        request=CollectionWriteSerializer,
        responses=CollectionSerializer,
    ),
    destroy=extend_schema(summary="Delete a collection (its products stay)"),
)
class CollectionViewSet(CatalogViewSet):
    perm_model = "collection"
    queryset = Collection.objects.all()
    serializer_class = CollectionSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _get(self, pk: str) -> Collection:
        return get_object_or_404(_collections(self.request), pk=pk)

    def list(self, request: Request) -> Response:
        params = _query_params(UpdatedSinceFilter, request)
        queryset = _collections(request)
        ordering = COLLECTION_ORDERINGS["name"]
        if params.get("updated_since"):
            queryset = queryset.filter(updated__gte=params["updated_since"])
            ordering = COLLECTION_ORDERINGS["updated"]
        rows = self.paginated(queryset, ordering)
        return self.paginator.get_paginated_response(CollectionSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(CollectionSerializer(self._get(pk)).data)

    def create(self, request: Request) -> Response:
        fields = validated_input(CollectionWriteSerializer, request)
        collection = services.collection_create(**fields)
        return Response(
            CollectionSerializer(self._get(collection.pk)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, pk: str) -> Response:
        collection = self._get(pk)
        fields = validated_input(CollectionWriteSerializer, request, partial=True)
        services.collection_update(collection=collection, **fields)
        return Response(CollectionSerializer(self._get(pk)).data)

    def destroy(self, request: Request, pk: str) -> Response:
        services.collection_delete(collection=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- products -----------------------------------------------------------------------------


def _products(request: Request) -> QuerySet[Product]:
    if is_staff(request):
        return Product.objects.all()
    return Product.objects.filter(status=Product.Status.PUBLISHED)


def _image_field(error: ApplicationError) -> ApplicationError:
    # The service names its argument image_file; the API's multipart field is "image".
    if error.field == "image_file":
        error.field = "image"
    return error


STATUS_ACTION_SCHEMA = {
    "request": None,
    "responses": ProductOutSerializer,
}


@extend_schema_view(
    list=extend_schema(
        summary="Products",
        description="Published products (staff: every status) with their variants and images. "
        "Filter, search and order with the parameters below; follow `next` for more. With "
        "`updated_since` the list is ordered oldest change first, for sync (a change to a "
        "variant or an image counts as a change to its product).",
        parameters=[ProductFilter],
        responses=ProductOutSerializer(many=True),
    ),
    retrieve=extend_schema(summary="A product", responses=ProductOutSerializer),
    create=extend_schema(
        summary="Create a product (a draft)",
        description="A product without options gets its one default variant from `price` and "
        "`sku`; a product whose type has options gets variants from POST /variants/.",
        request=ProductWriteSerializer,
        responses={201: ProductOutSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a product",
        description="Status changes have their own actions: publish, unpublish, archive.",
        request=ProductWriteSerializer,
        responses=ProductOutSerializer,
    ),
    destroy=extend_schema(summary="Delete a product, its variants and images"),
)
class ProductViewSet(CatalogViewSet):
    perm_model = "product"
    queryset = Product.objects.all()
    serializer_class = ProductOutSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _present(self, product_id: int | str) -> dict:
        row = queries.product_fetch(
            _products(self.request), product_id=int(product_id), staff=is_staff(self.request)
        )
        if row is None:
            raise Http404  # hidden from this caller, or deleted meanwhile
        return queries.product_present(row, currency=_currency(self.request))

    def _get(self, pk: str) -> Product:
        return get_object_or_404(_products(self.request), pk=pk)

    def list(self, request: Request) -> Response:
        staff = is_staff(request)
        params = _query_params(ProductFilter, request)
        ordering_name = ProductFilter.ordering_name(params)
        if staff and not params.get("q"):
            queryset = staff_products_filter(Product.objects.all(), params)
        else:
            # Shoppers (and every search) get the storefront's own search and filters.
            queryset = product_search(**search_arguments(params))
            if params.get("collection"):
                queryset = queryset.filter(published_collection_q(params["collection"]))
        if params.get("updated_since"):
            queryset = queryset.filter(updated__gte=params["updated_since"])
        if ordering_name == RELEVANCE:
            ordering = RELEVANCE_ORDERING
        else:
            ordering = PRODUCT_ORDERINGS[ordering_name]
            queryset = queryset.annotate(**ORDERING_ANNOTATIONS.get(ordering_name, {}))
        page_values = queryset.values(*queries.page_fields(ordering))
        if not staff and _wants_json(request):
            # Shoppers' pages come from the product documents, as JSON text.
            page = self.paginator.page(
                page_values,
                request=request,
                ordering=ordering,
                fetch=partial(
                    documents.product_page_documents,
                    ordering=ordering,
                    currency=_currency(request),
                ),
            )
            return json_page_response(
                next_url=self.paginator.next_url(), bodies=[row["body"] for row in page.rows]
            )
        page = self.paginator.page(
            page_values,
            request=request,
            ordering=ordering,
            fetch=partial(queries.product_page_fetch, ordering=ordering, staff=staff),
        )
        return self.paginator.get_paginated_response(
            queries.products_present(page.rows, currency=_currency(request))
        )

    def retrieve(self, request: Request, pk: str) -> Response | HttpResponse:
        if not is_staff(request) and _wants_json(request):
            body = documents.product_document(
                _products(request), product_id=int(pk), currency=_currency(request)
            )
            if body is None:
                raise Http404
            return json_text_response(body)
        return Response(self._present(pk))

    def create(self, request: Request) -> Response:
        product = services.product_create(**validated_input(ProductWriteSerializer, request))
        return Response(self._present(product.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        product = self._get(pk)
        services.product_update(
            product=product, **validated_input(ProductWriteSerializer, request, partial=True)
        )
        return Response(self._present(product.pk))

    def destroy(self, request: Request, pk: str) -> Response:
        services.product_delete(product=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _status_set(self, pk: str, new_status: str) -> Response:
        product = services.product_set_status(product=self._get(pk), status=new_status)
        return Response(self._present(product.pk))

    @extend_schema(
        summary="Publish a product",
        description="Needs a variant with a price and alt text on every image "
        "(`publish_without_price`, `image_alt_missing`).",
        **STATUS_ACTION_SCHEMA,
    )
    @action(detail=True, methods=["post"], required_perms=CHANGE_PRODUCT)
    def publish(self, request: Request, pk: str) -> Response:
        return self._status_set(pk, Product.Status.PUBLISHED)

    @extend_schema(summary="Unpublish a product (back to draft)", **STATUS_ACTION_SCHEMA)
    @action(detail=True, methods=["post"], required_perms=CHANGE_PRODUCT)
    def unpublish(self, request: Request, pk: str) -> Response:
        return self._status_set(pk, Product.Status.DRAFT)

    @extend_schema(summary="Archive a product", **STATUS_ACTION_SCHEMA)
    @action(detail=True, methods=["post"], required_perms=CHANGE_PRODUCT)
    def archive(self, request: Request, pk: str) -> Response:
        return self._status_set(pk, Product.Status.ARCHIVED)

    @extend_schema(
        summary="Upload a product image",
        description="multipart/form-data with the file in `image` (JPEG, PNG, WebP or GIF, at "
        "most CATALOG_IMAGE_MAX_BYTES: `image_invalid`, `image_too_large`). Thumbnails are "
        "made once, now. Answers with the whole product.",
        request={"multipart/form-data": ProductImageUploadSerializer},
        responses={201: ProductOutSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        required_perms=CHANGE_PRODUCT,
    )
    def images(self, request: Request, pk: str) -> Response:
        product = self._get(pk)
        fields = validated_input(ProductImageUploadSerializer, request)
        try:
            services.product_image_add(
                product=product,
                image_file=fields["image"],
                alt_text=fields.get("alt_text", ""),
                position=fields.get("position"),
            )
        except ApplicationError as error:
            raise _image_field(error) from None
        return Response(self._present(product.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary="Change a product image's alt text or position",
        request=ProductImageUpdateSerializer,
        responses=ProductImageOutSerializer,
        parameters=[OpenApiParameter("image_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Delete a product image (and its files)",
        responses={204: None},
        parameters=[OpenApiParameter("image_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"images/(?P<image_id>\d+)",
        required_perms=CHANGE_PRODUCT,
    )
    def image(self, request: Request, pk: str, image_id: str) -> Response:
        image = get_object_or_404(ProductImage, pk=image_id, product=self._get(pk))
        if request.method == "DELETE":
            services.product_image_delete(image=image)
            return Response(status=status.HTTP_204_NO_CONTENT)
        fields = validated_input(ProductImageUpdateSerializer, request, partial=True)
        image = services.product_image_update(image=image, **fields)
        product = self._present(image.product_id)
        return Response(next(item for item in product["images"] if item["id"] == image.pk))


# --- variants -----------------------------------------------------------------------------

VARIANT_ORDERINGS = {
    "product": KeysetOrdering(
        name="product",
        keys=(SortKey("product_id"), SortKey("position"), SortKey("id")),
    ),
    "updated": KeysetOrdering(
        name="updated", keys=(SortKey("updated", kind="datetime"), SortKey("id"))
    ),
}


def _variants(request: Request) -> QuerySet[Variant]:
    if is_staff(request):
        return Variant.objects.all()
    return Variant.objects.filter(product__status=Product.Status.PUBLISHED)


@extend_schema_view(
    list=extend_schema(
        summary="Variants",
        description="Variants of published products (staff: all), by product and position; "
        "with `updated_since`, oldest change first.",
        parameters=[VariantFilter],
        responses=VariantListOutSerializer(many=True),
    ),
    retrieve=extend_schema(summary="A variant", responses=VariantListOutSerializer),
    create=extend_schema(
        summary="Add a variant to a product",
        description="For a product whose type has options: one option value of each of its "
        "option types, a combination no other variant has.",
        request=VariantWriteSerializer,
        responses={201: VariantListOutSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a variant",
        request=VariantWriteSerializer,
        responses=VariantListOutSerializer,
    ),
    destroy=extend_schema(summary="Delete a variant"),
)
class VariantViewSet(CatalogViewSet):
    perm_model = "variant"
    queryset = Variant.objects.all()
    serializer_class = VariantListOutSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _present_one(self, variant_id: int | str) -> dict:
        page = _variants(self.request).filter(pk=int(variant_id)).values("id")
        rows = queries.variant_page_fetch(page, staff=is_staff(self.request))
        if not rows:
            raise Http404
        return rows[0]["variant"]

    def _get(self, pk: str) -> Variant:
        return get_object_or_404(_variants(self.request).select_related("product"), pk=pk)

    def list(self, request: Request) -> Response:
        params = _query_params(VariantFilter, request)
        queryset = _variants(request)
        if params.get("product"):
            queryset = queryset.filter(product_id=params["product"])
        if params.get("sku"):
            queryset = queryset.filter(sku=params["sku"])
        ordering = VARIANT_ORDERINGS["product"]
        if params.get("updated_since"):
            queryset = queryset.filter(updated__gte=params["updated_since"])
            ordering = VARIANT_ORDERINGS["updated"]
        page = self.paginator.page(
            queryset.values(*queries.page_fields(ordering)),
            request=request,
            ordering=ordering,
            fetch=partial(queries.variant_page_fetch, staff=is_staff(request)),
        )
        return self.paginator.get_paginated_response([row["variant"] for row in page.rows])

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._present_one(pk))

    def create(self, request: Request) -> Response:
        fields = validated_input(VariantWriteSerializer, request)
        variant = services.variant_create(**fields)
        return Response(self._present_one(variant.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        variant = self._get(pk)
        fields = validated_input(VariantWriteSerializer, request, partial=True)
        if "product" in fields:
            raise ApplicationError(
                "A variant cannot move to another product.",
                code="variant_product_locked",
                field="product",
            )
        services.variant_update(variant=variant, **fields)
        return Response(self._present_one(variant.pk))

    def destroy(self, request: Request, pk: str) -> Response:
        services.variant_delete(variant=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
