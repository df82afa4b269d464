from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from shop.catalog.art import product_svg
from shop.catalog.listing import USES, BadListingQuery, ListingQuery, sorts_for
from shop.catalog.services import ProductNotFound, browse_products, get_product, get_product_art, product_for_sku

bp = Blueprint("catalog", __name__)


@bp.get("/products")
def products():
    try:
        query = ListingQuery.from_args(request.args)
        slug = product_for_sku(query.q) if query.q else None
        if slug:
            return redirect(url_for("catalog.product", slug=slug))
        listing = browse_products(query, per_page=current_app.config["PRODUCTS_PER_PAGE"])
    except BadListingQuery as error:
        abort(400, description=str(error))
    return render_template("catalog/products.html", listing=listing, sorts=sorts_for(listing.query), uses=USES)


@bp.get("/products/<slug>")
def product(slug):
    try:
        # Volume prices are trade prices: loaded, and shown, for approved practitioners only.
        product = get_product(slug, with_breaks=bool(current_user.is_authenticated and current_user.is_trade))
    except ProductNotFound:
        abort(404, description="We couldn't find that product. It may have been renamed or withdrawn.")
    from shop.inventory.lots import shelf_life, today

    return render_template("catalog/product.html", product=product,
                           shelf_life=shelf_life([v.id for v in product.variants if v.stock_on_hand > 0], today()))


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
