"""The one HTML sanitiser for rich text (product and category descriptions).

Rich text comes from the Quill editor and from the API. It is cleaned on save (services) and
again before render, because the Quill widget writes the stored HTML into a JavaScript literal:
unsanitised HTML there is an XSS hole in the merchant's own admin.
"""

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "u", "s", "a", "ul", "ol", "li",
        "h2", "h3", "h4", "blockquote", "code", "pre", "img",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}}
# Tags removed together with everything inside them (their text is code, not prose).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = ("http://", "https://")
LINK_REL = "noopener noreferrer nofollow"


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Images only from the web or our own host: no mailto:, data: or other schemes.
        lowered = value.strip().lower()
        if ":" in lowered.split("/", 1)[0] and not lowered.startswith(IMAGE_SCHEMES):
            return None
    return value


def html_sanitize(html: str | None) -> str:
    """Keep only the allow-listed tags and attributes; links get rel="noopener noreferrer
    nofollow"; scripts, event handlers, styles, iframes and javascript: URLs are removed."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(LINK_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
