"""Search engines and link previews: robots.txt, sitemap.xml, canonical addresses, schema.org data.

Absolute addresses are built on STORE_URL, never on the request's Host header: a forged Host
must not be able to put another site's address into a canonical link or the sitemap.
The structured data is built only from what the page already loaded (no extra queries).
"""
from flask import Blueprint, current_app, render_template, request, url_for
from sqlalchemy import exists, select

from shop.catalog.models import Category, Product
from shop.extensions import db
from shop.guides.models import Guide
from shop.legal.views import PAGES as LEGAL_PAGES

bp = Blueprint("seo", __name__)

# Pages a search engine may list. Every other page (cart, checkout, orders, account, care plans,
# back office, search results) says noindex: private unless named here.
INDEXABLE = {"home.index", "catalog.products", "catalog.product", "guides.index", "guides.detail",
             *(f"legal.{name}" for name in LEGAL_PAGES)}

DISALLOW = ["/cart", "/checkout", "/orders/", "/account", "/admin", "/plan/", "/plans", "/quick-order",
            "/demo-pay/", "/products?q=", "/products?*&q="]


@bp.app_template_global()
def absolute_url(endpoint: str, **values) -> str:
    return current_app.config["STORE_URL"].rstrip("/") + url_for(endpoint, **values)


def _is_search() -> bool:
    return request.endpoint == "catalog.products" and bool((request.args.get("q") or "").strip())


@bp.app_template_global()
def search_engines_may_index() -> bool:
    return request.endpoint in INDEXABLE and not _is_search()


@bp.app_template_global()
def listing_canonical_url(listing) -> str:
    """A listing's canonical form keeps its category and page (what makes it a distinct page) and
    drops sorting, filters and searches (the same products shown another way)."""
    page = listing.page if listing.page > 1 else None
    category = listing.category.slug if listing.category else None
    return absolute_url("catalog.products", category=category, page=page)


def _price(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


@bp.app_template_global()
def product_image_absolute_url(product) -> str:
    if product.image_filename:
        return absolute_url("product_images.image", filename=product.image_filename)
    return absolute_url("catalog.product_art", slug=product.slug)


@bp.app_template_global()
def product_structured_data(product) -> dict:
    """schema.org Product with one Offer per size, at the public (retail) price."""
    config = current_app.config
    url = absolute_url("catalog.product", slug=product.slug)
    offers = [{
        "@type": "Offer",
        "sku": variant.sku,
        "name": variant.size_label,
        "price": _price(variant.price_pence),
        "priceCurrency": config["STORE_CURRENCY"].upper(),
        "availability": "https://schema.org/InStock" if variant.stock_on_hand > 0 else "https://schema.org/OutOfStock",
        "url": url,
    } for variant in product.variants]
    return {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": product.summary or product.description,
        "image": product_image_absolute_url(product),
        "sku": product.variants[0].sku if product.variants else product.slug,
        "brand": {"@type": "Brand", "name": config["STORE_NAME"]},
        "category": product.category.name,
        "url": url,
        "offers": offers,
    }


@bp.app_template_global()
def breadcrumb_structured_data(crumbs) -> dict:
    """crumbs: (name, absolute URL) pairs from the top of the shop down to this page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": i, "name": name, "item": url}
                            for i, (name, url) in enumerate(crumbs, start=1)],
    }


@bp.app_template_global()
def guide_structured_data(guide) -> dict:
    store = {"@type": "Organization", "name": current_app.config["STORE_NAME"],
             "url": absolute_url("home.index")}
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": guide.title,
        "description": guide.summary,
        "datePublished": guide.published_at.date().isoformat(),
        "dateModified": (guide.updated_at or guide.published_at).date().isoformat(),
        "author": store,
        "publisher": store,
        "mainEntityOfPage": absolute_url("guides.detail", slug=guide.slug),
    }


def sitemap_entries() -> list[tuple[str, str | None]]:
    """(absolute URL, lastmod date or None) for every public page worth listing: published only."""
    entries = [(absolute_url("home.index"), None), (absolute_url("catalog.products"), None),
               (absolute_url("guides.index"), None)]
    has_products = exists().where(Product.category_id == Category.id, Product.published.is_(True))
    for slug in db.session.scalars(select(Category.slug).where(has_products).order_by(Category.position, Category.slug)):
        entries.append((absolute_url("catalog.products", category=slug), None))
    for slug, created_at in db.session.execute(
            select(Product.slug, Product.created_at).where(Product.published.is_(True)).order_by(Product.slug)):
        entries.append((absolute_url("catalog.product", slug=slug), created_at.date().isoformat()))
    for slug, updated_at in db.session.execute(
            select(Guide.slug, Guide.updated_at).where(Guide.published.is_(True)).order_by(Guide.slug)):
        entries.append((absolute_url("guides.detail", slug=slug), updated_at.date().isoformat()))
    entries += [(absolute_url(f"legal.{name}"), None) for name in LEGAL_PAGES]
    return entries


@bp.get("/sitemap.xml")
def sitemap():
    body = render_template("seo/sitemap.xml", entries=sitemap_entries())
    return current_app.response_class(body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOW), "",
             f"Sitemap: {absolute_url('seo.sitemap')}", ""]
    return current_app.response_class("\n".join(lines), mimetype="text/plain")
