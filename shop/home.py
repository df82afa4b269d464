"""The front page: the catalogue's featured products beside the latest care guides.

It sits above both packages (guides already build on the catalogue), so neither has to import
the other to show it.
"""
from flask import Blueprint, render_template

from shop.catalog.services import featured_products, home_versions
from shop.guides.services import list_guides
from shop.page_cache import cached_page

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    # The latest guides are catalogue-wide: the catalogue version in home_versions covers them.
    return cached_page(home_versions,
                       lambda: render_template("home.html", home=featured_products(), guides=list_guides(limit=3)))
