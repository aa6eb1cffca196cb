from django.test import RequestFactory
from django_tenants.utils import schema_context

from apps.core.admin_site import AdminBranding, admin_branding
from tenants.middleware import PUBLIC_SITE


def test_branding_on_a_store_host_uses_the_stores_name(store_a):
    request = RequestFactory().get("/admin/")
    request.tenant = store_a.tenant
    with schema_context(store_a.schema):
        branding = admin_branding(request)
    assert branding == AdminBranding(
        site_header="Store STORE-A admin",
        site_title="Store STORE-A",
        index_title="Manage Store STORE-A",
    )


def test_branding_on_the_public_host_is_the_operators():
    request = RequestFactory().get("/admin/")
    request.tenant = PUBLIC_SITE
    assert admin_branding(request).site_header == "PyCommerce operator"
