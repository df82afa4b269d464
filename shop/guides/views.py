from flask import Blueprint, abort, render_template

from shop.guides.services import GuideNotFound, get_guide, list_guides

bp = Blueprint("guides", __name__, url_prefix="/guides")


@bp.get("")
def index():
    return render_template("guides/index.html", guides=list_guides())


@bp.get("/<slug>")
def detail(slug):
    try:
        guide = get_guide(slug)
    except GuideNotFound:
        abort(404, description="We couldn't find that care guide.")
    return render_template("guides/detail.html", guide=guide)
