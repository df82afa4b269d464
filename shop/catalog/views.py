from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from shop.catalog.art import product_svg
from shop.catalog.listing import USES, BadListingQuery, ListingQuery, sorts_for
from shop.catalog.services import (ProductNotFound, browse_products, get_product, get_product_art, listing_versions,
                                   product_for_sku, product_page_versions)
from shop.page_cache import cached_page

bp = Blueprint("catalog", __name__)


@bp.get("/products")
def products():
    per_page = current_app.config["PRODUCTS_PER_PAGE"]
    try:
        query = ListingQuery.from_args(request.args)
        slug = product_for_sku(query.q) if query.q else None
    except BadListingQuery as error:
        abort(400, description=str(error))
    if slug:
        return redirect(url_for("catalog.product", slug=slug))

    filters = None  # when the cache key had to read them, used again by the page on a miss

    def versions():
        nonlocal filters
        try:
            key, filters = listing_versions(query, per_page)
            return key
        except BadListingQuery as error:
            abort(400, description=str(error))

    def render():
        try:
            listing = browse_products(query, per_page=per_page, filters=filters)
        except BadListingQuery as error:
            abort(400, description=str(error))
        return render_template("catalog/products.html", listing=listing, sorts=sorts_for(listing.query), uses=USES)

    return cached_page(versions, render)


@bp.get("/products/<slug>")
def product(slug):
    from shop.inventory.lots import shelf_life, today

    # The only thing a product page shows that changes with no write is its sizes' shelf life
    # ("at least 14 months before expiry", worked out from today's date), so the date is part of
    # the key. Stock shown is stock on hand, which moves only by writes (a sale, a delivery, the
    # daily job withdrawing expired and short-dated lots, a recall), and those move the versions.
    on = today()

    def render():
        try:
            # Volume prices are trade prices: loaded, and shown, for approved practitioners only
            # (the visitor's price tier is part of the cache key).
            product = get_product(slug, with_breaks=bool(current_user.is_authenticated and current_user.is_trade))
        except ProductNotFound:
            abort(404, description="We couldn't find that product. It may have been renamed or withdrawn.")
        return render_template("catalog/product.html", product=product,
                               shelf_life=shelf_life([v.id for v in product.variants if v.stock_on_hand > 0], on))

    return cached_page(lambda: _with_date(product_page_versions(slug), on), render)


def _with_date(versions, on):
    return None if versions is None else (*versions, on.isoformat())


@bp.get("/products/<slug>/art.svg")
def product_art(slug):
    try:
        product = get_product_art(slug)
    except ProductNotFound:
        abort(404)
    svg = product_svg(product.name, product.container, product.colour, product.tint)
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response.make_conditional(request)
