"""Reporting a reaction, from an order (the lot filled in from what was sent) or from a product page."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.catalog.services import ProductNotFound, get_product
from shop.extensions import limiter
from shop.inventory.lots import today
from shop.orders.services import OrderNotFound, order_by_token
from shop.recalls.models import SERIOUSNESS
from shop.recalls.reactions import ReactionError, report_reaction

bp = Blueprint("reactions", __name__)


def _form(**values):
    return {"what_happened": "", "started_on": "", "seriousness": "", "email": "", "line": "", **values}


@bp.route("/orders/<token>/reaction", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def from_order(token):
    try:
        order = order_by_token(token)
    except OrderNotFound:
        abort(404, description="We couldn't find that order.")
    if order.paid_at is None:
        abort(404, description="That order has not been paid, so nothing was sent.")
    # Each line's lot(s), so the report names the batch without the customer reading the container.
    choices = [(str(a.id), line, a.lot) for line in order.lines for a in line.lot_allocations] or \
              [(f"line-{line.id}", line, None) for line in order.lines]
    form, errors, status = _form(line=choices[0][0] if choices else ""), None, 200
    if request.method == "POST":
        form = _form(**{k: request.form.get(k, "") for k in _form()})
        chosen = next((c for c in choices if c[0] == form["line"]), None)
        try:
            report_reaction(what_happened=form["what_happened"], seriousness=form["seriousness"],
                            started_on=form["started_on"], email=order.email or "",
                            product_id=chosen[1].product_id if chosen else None,
                            lot_id=chosen[2].id if chosen and chosen[2] else None, order_id=order.id,
                            user_id=current_user.id if current_user.is_authenticated else None, today=today(),
                            problems=[] if chosen else [_problem("Choose the item it was about.", "line")])
        except ReactionError as error:
            errors, status = error.problems, 422
        else:
            flash("Thank you: we have your report and will be in touch. If it is serious, please see a doctor.", "info")
            return redirect(url_for("checkout.order_page", token=order.token), code=303)
    return render_template("recalls/report.html", order=order, product=None, choices=choices, form=form,
                           errors=errors, seriousness=SERIOUSNESS), status


@bp.route("/products/<slug>/reaction", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def from_product(slug):
    try:
        product = get_product(slug)
    except ProductNotFound:
        abort(404, description="We couldn't find that product.")
    form, errors, status = _form(lot=""), None, 200
    if request.method == "POST":
        form = _form(lot=request.form.get("lot", "")[:60], **{k: request.form.get(k, "") for k in _form()})
        from shop.recalls.services import lot_by_code

        lot = lot_by_code(product.id, form["lot"])
        try:
            report_reaction(what_happened=form["what_happened"], seriousness=form["seriousness"],
                            started_on=form["started_on"], email=form["email"] or (
                                current_user.email if current_user.is_authenticated else ""),
                            product_id=product.id, lot_id=lot.id if lot else None,
                            user_id=current_user.id if current_user.is_authenticated else None, today=today(),
                            lot_as_typed=form["lot"])
        except ReactionError as error:
            errors, status = error.problems, 422
        else:
            flash("Thank you: we have your report. If it is serious, please see a doctor.", "info")
            return redirect(url_for("catalog.product", slug=product.slug), code=303)
    return render_template("recalls/report.html", order=None, product=product, choices=[], form=form, errors=errors,
                           seriousness=SERIOUSNESS), status


def _problem(message, field):
    from shop.problems import Problem

    return Problem(message, field)
