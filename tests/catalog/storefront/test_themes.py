"""Themes: built-in themes pass WCAG AA, render as CSS custom properties, differ in layout,
and one store's theme never shows on another's storefront."""

import pytest
from django_tenants.utils import schema_context

from apps.core.exceptions import ApplicationError
from apps.themes import services
from apps.themes.builtin import BUILTIN_THEMES, TEXT_PAIRS
from apps.themes.contrast import AA_LARGE, AA_TEXT, contrast_ratio
from apps.themes.models import Theme
from apps.themes.selectors import theme_get_active


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # WCAG's own example boundary: #767676 on white is 4.54:1
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", sorted(BUILTIN_THEMES))
def test_builtin_themes_pass_wcag_aa(name):
    theme = BUILTIN_THEMES[name]
    for foreground, background in TEXT_PAIRS:
        ratio = contrast_ratio(theme[foreground], theme[background])
        assert ratio >= AA_TEXT, f"{name}: {foreground} on {background} is {ratio:.2f}:1"
    # borders of inputs and focus rings are UI components: 3:1 against the page
    assert contrast_ratio(theme["color_border"], theme["color_background"]) >= AA_LARGE
    assert contrast_ratio(theme["color_accent"], theme["color_background"]) >= AA_LARGE


def test_builtin_themes_differ_in_layout_as_well_as_colour():
    classic, boutique = BUILTIN_THEMES["classic"], BUILTIN_THEMES["boutique"]
    assert classic["layout"] != boutique["layout"]
    assert classic["color_accent"] != boutique["color_accent"]
    assert classic["font_heading"] != boutique["font_heading"]


def test_theme_update_validates_every_field(store_a):
    with schema_context(store_a.schema):
        cases = [
            ({"color_accent": "blue"}, "theme_color_invalid", "color_accent"),
            ({"color_accent": "#12345g"}, "theme_color_invalid", "color_accent"),
            ({"font_body": "comic"}, "theme_font_unknown", "font_body"),
            ({"layout": "magazine"}, "theme_layout_unknown", "layout"),
            ({"price": "1"}, "theme_field_unknown", "price"),
            ({"color_text": "#cccccc"}, "theme_contrast_too_low", "color_text"),
        ]
        for fields, code, field in cases:
            with pytest.raises(ApplicationError) as error:
                services.theme_update(**fields)
            assert (error.value.code, error.value.field) == (code, field), fields
        assert not Theme.objects.exists()


def test_theme_update_names_the_pair_that_is_hard_to_read(store_a):
    with schema_context(store_a.schema), pytest.raises(ApplicationError) as error:
        services.theme_update(color_accent_text="#3355ee")
    assert error.value.code == "theme_contrast_too_low"
    assert error.value.field == "color_accent_text"
    assert error.value.extra["against"] == "color_accent"
    assert "too hard to read" in error.value.message


def test_theme_update_saves_and_bumps_the_version(store_a, django_capture_on_commit_callbacks):
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        first = services.theme_update(color_accent="#0B5394")
        second = services.theme_update(name="Mine")
    assert first.pk == second.pk
    assert (second.version, second.color_accent, second.name) == (2, "#0b5394", "Mine")
    with schema_context(store_a.schema):
        assert theme_get_active().colors["color_accent"] == "#0b5394"
        assert theme_get_active().version == 2


def test_theme_becomes_css_custom_properties(client_a, store_a, django_capture_on_commit_callbacks):
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        services.theme_update(color_accent="#0b5394", font_heading="transitional-serif")
    html = client_a.get("/").content.decode()
    assert "--color-accent:#0b5394;" in html
    assert '--font-heading:Charter, "Bitstream Charter"' in html
    assert '<link rel="stylesheet" href="/static/storefront/storefront.css">' in html


def test_classic_layout_has_a_category_sidebar_and_a_grid(client_a, catalog_a):
    html = client_a.get("/categories/clothing/").content.decode()
    assert '<body class="layout-classic">' in html
    assert '<aside class="sidebar" aria-labelledby="sidebar-heading">' in html
    assert '<ul class="product-grid" role="list">' in html
    assert '<div class="wrap header-top">' in html


def test_boutique_layout_has_a_centred_masthead_and_large_cards(
    client_a, catalog_a, store_a, django_capture_on_commit_callbacks
):
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        services.theme_apply_builtin(name="boutique")
    for path in ("/", "/categories/clothing/", "/products/linen-shirt/", "/search/?q=linen"):
        response = client_a.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<body class="layout-boutique">' in html, path
        assert '<div class="wrap masthead">' in html, path
        assert "--color-accent:#7a2e3a;" in html, path
    html = client_a.get("/categories/clothing/").content.decode()
    assert '<ul class="product-cards" role="list">' in html
    assert 'class="sidebar"' not in html


def test_unknown_builtin_is_refused(store_a):
    with schema_context(store_a.schema), pytest.raises(ApplicationError) as error:
        services.theme_apply_builtin(name="neon")
    assert error.value.code == "theme_builtin_unknown"


def test_a_stores_theme_never_shows_on_another_store(
    client_a, client_b, store_a, django_capture_on_commit_callbacks
):
    # given: A switches to Boutique, and both stores' pages are cached
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        services.theme_apply_builtin(name="boutique")
    assert '<body class="layout-boutique">' in client_a.get("/").content.decode()
    # when: B is visited (twice: rendered, then from its cache)
    for _ in range(2):
        html = client_b.get("/").content.decode()
        # then
        assert '<body class="layout-classic">' in html
        assert "#7a2e3a" not in html
        assert "Store STORE-B" in html
        assert "Store STORE-A" not in html


def test_theme_change_invalidates_cached_pages(
    client_a, store_a, django_capture_on_commit_callbacks
):
    assert client_a.get("/")["X-Storefront-Cache"] == "miss"
    assert client_a.get("/")["X-Storefront-Cache"] == "hit"
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        services.theme_update(color_accent="#0b5394")
    response = client_a.get("/")
    assert response["X-Storefront-Cache"] == "miss"
    assert "--color-accent:#0b5394;" in response.content.decode()


def test_logo_and_favicon_from_the_theme(client_a, store_a, django_capture_on_commit_callbacks):
    from tests.catalog.factories import image_upload

    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        theme = services.theme_update(
            logo=image_upload("logo.png", size=(240, 80)),
            favicon=image_upload("icon.png", size=(32, 32)),
        )
    html = client_a.get("/").content.decode()
    assert f'<img src="/media/{theme.logo.name}" alt="Store STORE-A home">' in html
    assert f'<link rel="icon" href="/media/{theme.favicon.name}">' in html
    assert theme.logo.name.startswith(f"{store_a.schema}/themes/logos/")


def test_a_logo_that_is_not_an_image_is_refused(store_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with schema_context(store_a.schema), pytest.raises(ApplicationError) as error:
        services.theme_update(logo=SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>"))
    assert (error.value.code, error.value.field) == ("theme_image_invalid", "logo")
