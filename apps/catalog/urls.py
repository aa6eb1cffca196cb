"""Storefront URLs: clean paths, one per kind of page."""

from django.urls import path

from apps.catalog import views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="products"),
    path("products/<slug:slug>/", views.product_detail, name="product"),
    path("categories/<path:path>/", views.category_detail, name="category"),
    path("collections/<slug:slug>/", views.collection_detail, name="collection"),
    path("search/", views.search, name="search"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
]
