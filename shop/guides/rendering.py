"""Guide markdown becomes HTML here, and only sanitised HTML leaves."""
import markdown
import nh3
from markupsafe import Markup

from shop.page_cache.holes import without_markers

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "pre", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
}
# Column alignment as the align attribute: the CSP allows no inline style, which markdown uses by default.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
EXTENSIONS = ["sane_lists", "tables"]
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}


def render_markdown(text: str) -> Markup:
    html = markdown.markdown(text or "", extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(without_markers(clean))  # stored text must never open a cached page's hole (shop/page_cache)
