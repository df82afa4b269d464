from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.admin import bp
from shop.admin.common import csv_response, page_arg
from shop.catalog.models import Variant
from shop.errors import found_or_404
from shop.extensions import db
from shop.orders.stock_report import STOCK_SORTS, STOCK_STATES, movements_of, sizes_by_sku, stock_csv, stock_page
from shop.inventory.services import ADJUSTMENT_REASONS, StockError, adjust_stock, receive_delivery
from shop.problems import Problem

DELIVERY_ROWS = 8


@bp.get("/stock")
def stock():
    state = request.args.get("state", "") if request.args.get("state") in STOCK_STATES else ""
    sort = request.args.get("sort", "product") if request.args.get("sort") in STOCK_SORTS else "product"
    q = request.args.get("q", "")[:100]
    listing = stock_page(q=q, state=state, sort=sort, page=page_arg())
    return render_template("admin/stock.html", rows=listing.rows, listing=listing, q=q, state=state, sort=sort)


@bp.get("/stock.csv")
def stock_export():
    return csv_response(stock_csv(), "stock.csv")


def _delivery_lines(form) -> list[tuple[str, int | None]]:
    """The filled-in rows; a quantity that is not a whole number becomes None for the service to report."""
    lines = []
    for sku, quantity in zip(form.getlist("sku"), form.getlist("quantity")):
        sku, quantity = sku.strip()[:40], quantity.strip()
        if sku or quantity:
            lines.append((sku, int(quantity) if quantity.isdigit() and len(quantity) <= 7 else None))
    return lines


@bp.route("/stock/receive", methods=["GET", "POST"])
def receive():
    rows = [("", "")] * DELIVERY_ROWS
    if request.method == "POST":
        reference = request.form.get("reference", "")
        try:
            received = receive_delivery(_delivery_lines(request.form), reference, actor=current_user)
        except StockError as error:
            # The filled-in rows first, so "Line 2" in a message is row 2 of the form shown again.
            submitted = [(s, q) for s, q in zip(request.form.getlist("sku"), request.form.getlist("quantity")) if s.strip() or q.strip()]
            rows = (submitted + rows)[: max(DELIVERY_ROWS, len(submitted))]
            return render_template("admin/receive.html", rows=rows, reference=reference, errors=error.problems,
                                   skus=sizes_by_sku()), 422
        flash(f"Delivery {reference.strip()} received: " + ", ".join(f"{units} × {v.sku} (now {after})" for v, units, after in received) + ".",
              "info")
        return redirect(url_for("admin.stock"), code=303)
    preset = request.args.get("sku", "")[:40]
    if preset:
        rows = [(preset, "")] + rows[1:]
    return render_template("admin/receive.html", rows=rows, reference="", errors=None, skus=sizes_by_sku())


def _variant_or_404(variant_id: int) -> Variant:
    return found_or_404(db.session.get(Variant, variant_id))


@bp.get("/stock/<int:variant_id>")
def variant_stock(variant_id):
    variant = _variant_or_404(variant_id)
    return render_template("admin/variant_stock.html", variant=variant, movements=movements_of(variant.id),
                           reasons=ADJUSTMENT_REASONS, form={}, errors=None)


@bp.post("/stock/<int:variant_id>/adjust")
def adjust(variant_id):
    variant = _variant_or_404(variant_id)
    raw = request.form.get("change", "").strip().replace("+", "", 1)
    reason, note = request.form.get("reason", ""), request.form.get("note", "")
    try:
        if not raw.lstrip("-").isdigit() or len(raw) > 8:
            raise StockError([Problem("Enter the change as a whole number of units, e.g. -2 or 5.", "change")])
        after = adjust_stock(variant.id, int(raw), reason, note, actor=current_user)
    except StockError as error:
        return render_template("admin/variant_stock.html", variant=variant, movements=movements_of(variant.id),
                               reasons=ADJUSTMENT_REASONS, form=request.form, errors=error.problems), 422
    flash(f"{variant.sku}: stock is now {after}.", "info")
    return redirect(url_for("admin.variant_stock", variant_id=variant.id), code=303)
