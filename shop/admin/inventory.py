from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.admin import bp
from shop.admin.common import csv_response, page_arg
from shop.catalog.models import Variant
from shop.errors import found_or_404
from shop.extensions import db
from shop.orders.stock_report import STOCK_SORTS, STOCK_STATES, movements_of, sizes_by_sku, stock_csv, stock_page
from shop.inventory.lots import lots_of
from shop.inventory.services import ADJUSTMENT_REASONS, DeliveryLine, StockError, adjust_stock, receive_delivery
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


LINE_FIELDS = ("sku", "quantity", "lot", "expires", "made", "pao")


def _submitted_rows(form) -> list[dict]:
    """The filled-in rows of the delivery form, as typed."""
    columns = [form.getlist(name) for name in LINE_FIELDS]
    rows = []
    for number in range(max(map(len, columns))):
        row = {name: (col[number] if number < len(col) else "").strip()[:80] for name, col in zip(LINE_FIELDS, columns)}
        if any(row.values()):
            rows.append(row)
    return rows


def _delivery_lines(rows: list[dict]) -> list[DeliveryLine]:
    """A quantity that is not a whole number becomes None, for the service to report."""
    return [DeliveryLine(sku=r["sku"][:40], units=int(r["quantity"]) if r["quantity"].isdigit() and len(r["quantity"]) <= 7 else None,
                         lot=r["lot"], expires=r["expires"], made=r["made"], pao=r["pao"]) for r in rows]


def _blank_rows(count: int) -> list[dict]:
    return [dict.fromkeys(LINE_FIELDS, "") for _ in range(count)]


@bp.route("/stock/receive", methods=["GET", "POST"])
def receive():
    rows = _blank_rows(DELIVERY_ROWS)
    if request.method == "POST":
        reference, supplier = request.form.get("reference", ""), request.form.get("supplier", "")
        submitted = _submitted_rows(request.form)
        try:
            received = receive_delivery(_delivery_lines(submitted), reference, supplier=supplier, actor=current_user)
        except StockError as error:
            # The filled-in rows first, so "Line 2" in a message is row 2 of the form shown again.
            rows = (submitted + rows)[: max(DELIVERY_ROWS, len(submitted))]
            return render_template("admin/receive.html", rows=rows, reference=reference, supplier=supplier,
                                   errors=error.problems, skus=sizes_by_sku()), 422
        flash(f"Delivery {reference.strip()} received: " + ", ".join(f"{units} × {v.sku} (now {after})" for v, units, after in received) + ".",
              "info")
        return redirect(url_for("admin.stock"), code=303)
    preset = request.args.get("sku", "")[:40]
    if preset:
        rows[0]["sku"] = preset
    return render_template("admin/receive.html", rows=rows, reference="", supplier="", errors=None, skus=sizes_by_sku())


def _variant_or_404(variant_id: int) -> Variant:
    return found_or_404(db.session.get(Variant, variant_id))


def _stock_page(variant: Variant, form, errors=None, status=200):
    return render_template("admin/variant_stock.html", variant=variant, movements=movements_of(variant.id),
                           lots=lots_of(variant.id), reasons=ADJUSTMENT_REASONS, form=form, errors=errors), status


@bp.get("/stock/<int:variant_id>")
def variant_stock(variant_id):
    return _stock_page(_variant_or_404(variant_id), {})


@bp.post("/stock/<int:variant_id>/adjust")
def adjust(variant_id):
    variant = _variant_or_404(variant_id)
    raw = request.form.get("change", "").strip().replace("+", "", 1)
    reason, note = request.form.get("reason", ""), request.form.get("note", "")
    lot_id = request.form.get("lot", "")
    try:
        if not raw.lstrip("-").isdigit() or len(raw) > 8:
            raise StockError([Problem("Enter the change as a whole number of units, e.g. -2 or 5.", "change")])
        # Every unit is in a lot: the form's change names which.
        after = adjust_stock(variant.id, int(raw), reason, note, actor=current_user,
                             lot_id=int(lot_id) if lot_id.isdigit() and len(lot_id) < 10 else None, lot_required=True)
    except StockError as error:
        return _stock_page(variant, request.form, error.problems, 422)
    flash(f"{variant.sku}: stock is now {after}.", "info")
    return redirect(url_for("admin.variant_stock", variant_id=variant.id), code=303)
