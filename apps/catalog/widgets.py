"""The admin's rich-text editor: django-quill-editor's widget, with assets we serve ourselves.

The stock QuillWidget loads Quill and its plugins from three CDNs (dead offline, and a third
party in the merchant's admin) and writes the stored HTML into a JavaScript template literal
(`</script>` or a backtick in a description breaks out of it). This subclass loads the same
packages from /static/vendor/ (installed from npm by `make`, see the Makefile) and renders no
inline script at all: the sanitised HTML travels in a hidden input's value attribute (HTML-escaped
by the template engine) and static/admin-extra/quill-field.js builds the editor from it.
"""

import json
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django_quill.forms import QuillFormField
from django_quill.widgets import QuillWidget

from apps.catalog.sanitize import html_sanitize

VENDOR = "vendor"

# The tags apps.catalog.sanitize keeps, and nothing it would silently drop: no fonts, colours,
# alignment (classes/styles), no video (iframes), no image upload button (it inserts data:
# URLs, which the sanitiser removes; pasted http(s) images still work).
TOOLBAR = [
    [{"header": [2, 3, 4, False]}, "bold", "italic", "underline", "strike"],
    [{"list": "ordered"}, {"list": "bullet"}, "blockquote", "code-block", "link"],
    ["clean"],
]


def editor_html(value: Any) -> str:
    """The HTML inside what the editor posts ({"delta": ..., "html": ...}) or inside a stored
    description (plain HTML), sanitised. Quill's empty document counts as empty."""
    if value is None:
        return ""
    text = str(value)
    try:
        posted = json.loads(text)
    except ValueError:
        posted = None
    if isinstance(posted, dict) and "html" in posted:
        text = str(posted.get("html") or "")
    html = html_sanitize(text)
    return "" if html in ("<p></p>", "<p><br></p>") else html


class StoreQuillWidget(QuillWidget):
    template_name = "admin/catalog/widgets/quill.html"

    class Media:
        extend = False  # drop the parent's CDN URLs
        js = (
            f"{VENDOR}/@highlightjs/cdn-assets/highlight.min.js",
            f"{VENDOR}/quill/dist/quill.min.js",
            f"{VENDOR}/quill-image-compress/dist/quill.imageCompressor.min.js",
            f"{VENDOR}/@botom/quill-resize-module/dist/quill-resize-module.min.js",
            "admin-extra/quill-field.js",
        )
        css = {
            "all": (
                f"{VENDOR}/quill/dist/quill.snow.css",
                f"{VENDOR}/@highlightjs/cdn-assets/styles/darcula.min.css",
                f"{VENDOR}/quill-resize-module/dist/resize.css",
                "admin-extra/quill-field.css",
            )
        }

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs)
        self.config["modules"] = {**self.config["modules"], "toolbar": TOOLBAR}

    def format_value(self, value: Any) -> str:
        # Whatever reaches the page (a stored description, or a re-posted form after an error)
        # is sanitised first: the editor pastes it into a live contenteditable element.
        return editor_html(value)

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["config"] = json.dumps(self.config)
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # Not QuillWidget.render (its template has the inline script), and the project's
        # template engine rather than the form renderer's (which knows only app templates).
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))  # noqa: S308


class RichTextField(QuillFormField):
    """A description edited with Quill: cleans to sanitised HTML (or "").

    QuillFormField forces the stock widget in __init__, so forms using this field must set
    StoreQuillWidget in their own __init__ (ProductAdminForm does).
    """

    def to_python(self, value: Any) -> str:
        return editor_html(super().to_python(value))
