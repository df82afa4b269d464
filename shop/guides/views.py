from flask import Blueprint, abort, render_template

from shop.guides.services import GuideNotFound, get_guide, guide_versions, guides_index_versions, list_guides
from shop.page_cache import cached_page

bp = Blueprint("guides", __name__, url_prefix="/guides")


@bp.get("")
def index():
    return cached_page(guides_index_versions, lambda: render_template("guides/index.html", guides=list_guides()))


@bp.get("/<slug>")
def detail(slug):
    def render():
        try:
            guide = get_guide(slug)
        except GuideNotFound:
            abort(404, description="We couldn't find that care guide.")
        return render_template("guides/detail.html", guide=guide)

    return cached_page(lambda: guide_versions(slug), render)
