from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.admin import bp
from shop.catalog.backoffice import product_choices
from shop.catalog.editing import CatalogueError
from shop.errors import found_or_404
from shop.extensions import db
from shop.guides.editing import GuideFields, save_guide
from shop.guides.models import Guide
from shop.guides.rendering import render_markdown
from shop.guides.services import every_guide


@bp.get("/guides")
def guides():
    return render_template("admin/guides.html", guides=every_guide())


def _page(guide, fields, status=200, errors=None, preview=None):
    product_q = request.form.get("product_q", "").strip()[:100]
    return render_template("admin/guide.html", guide=guide, fields=fields, errors=errors, preview=preview,
                           choices=product_choices(fields.product_ids, product_q), product_q=product_q), status


def _fields() -> GuideFields:
    f = request.form
    return GuideFields(title=f.get("title", ""), slug=f.get("slug", ""), summary=f.get("summary", ""),
                       body=f.get("body", ""), published="published" in f,
                       product_ids=[int(v) for v in f.getlist("product_ids") if v.isdigit()])


def _of(guide: Guide) -> GuideFields:
    return GuideFields(guide.title, guide.slug, guide.summary, guide.body, guide.published, [p.id for p in guide.products])


@bp.route("/guides/new", methods=["GET", "POST"])
def new_guide():
    return edit_guide(None)


@bp.route("/guides/<int:guide_id>", methods=["GET", "POST"])
def edit_guide(guide_id):
    guide = found_or_404(db.session.get(Guide, guide_id)) if guide_id else None
    if request.method == "GET":
        return _page(guide, _of(guide) if guide else GuideFields())
    fields = _fields()
    if request.form.get("action") == "find-products":
        # The form comes back as typed, with the products found to tick: nothing is saved.
        return _page(guide, fields)
    if request.form.get("action") == "preview":
        # The preview is rendered and sanitised exactly as the shop shows it; nothing is saved.
        return _page(guide, fields, preview=render_markdown(fields.body))
    try:
        saved = save_guide(guide_id, fields, actor=current_user)
    except CatalogueError as error:
        return _page(guide, fields, 422, errors=error.problems)
    flash(f"“{saved.title}” is saved{' and published' if saved.published else ' (not published)'}.", "info")
    return redirect(url_for("admin.edit_guide", guide_id=saved.id), code=303)
