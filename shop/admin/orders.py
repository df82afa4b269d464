from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.admin import bp
from shop.admin.common import confirm_page, confirmed, csv_response, new_attempt
from shop.errors import found_or_404
from shop.money import format_money, parse_pounds, pounds_text
from shop.orders.backoffice import (
    OrderActionError,
    OrderFilters,
    cancel_unpaid,
    find_orders,
    get_order,
    mark_shipped,
    orders_csv,
)
from shop.orders.models import REFUND_REASONS
from shop.orders.refunds import RefundError, refund_order, refunds_of, returned_units
from shop.orders.status import STATUS_LABELS
from shop.payments.gateway import PaymentError
from shop.payments.services import get_gateway
from shop.problems import Problem


@bp.get("/orders")
def orders():
    filters = OrderFilters.parse(request.args)
    found, total = find_orders(filters)
    status = 400 if filters.problems else 200
    return render_template("admin/orders.html", orders=found, total=total, filters=filters, statuses=STATUS_LABELS,
                           errors=filters.problems or None), status


@bp.get("/orders.csv")
def orders_export():
    filters = OrderFilters.parse(request.args)
    if filters.problems:
        abort(400, " ".join(filters.problems))
    return csv_response(orders_csv(filters), "orders.csv")


def _order_or_404(order_id):
    return found_or_404(get_order(order_id))


def _order_page(order, status=200, errors=None, refund_form=None):
    returned = returned_units(order.id)
    return render_template(
        "admin/order.html", order=order, refunds=refunds_of(order.id), returned=returned, reasons=REFUND_REASONS,
        attempt=(refund_form or {}).get("attempt") or new_attempt(), refund_form=refund_form or {},
        remaining=order.total_pence - order.refunded_pence, errors=errors, pounds_text=pounds_text, status_labels=STATUS_LABELS,
    ), status


@bp.get("/orders/<int:order_id>")
def order(order_id):
    return _order_page(_order_or_404(order_id))


@bp.get("/orders/<int:order_id>/packing-slip")
def packing_slip(order_id):
    """A printable pick list for the warehouse: each line's lots, where to find which containers."""
    return render_template("admin/packing_slip.html", order=_order_or_404(order_id))


@bp.post("/orders/<int:order_id>/ship")
def ship(order_id):
    order = _order_or_404(order_id)
    try:
        mark_shipped(order.id, request.form.get("carrier", ""), request.form.get("tracking_number", ""), actor=current_user)
    except OrderActionError as error:
        return _order_page(_order_or_404(order_id), error.status, errors=[Problem(str(error), error.field)])
    flash(f"Order {order.number} is marked shipped; the customer has been emailed the tracking number.", "info")
    return redirect(url_for("admin.order", order_id=order.id), code=303)


@bp.post("/orders/<int:order_id>/cancel")
def cancel(order_id):
    order = _order_or_404(order_id)
    if not confirmed():
        if not request.form.get("reason", "").strip():
            return _order_page(order, 422, errors=[Problem("Say why the order is cancelled.", "cancel-reason")])
        return confirm_page(f"Cancel order {order.number}?", url_for("admin.cancel", order_id=order.id),
                            details=[f"Its checkout is closed so it cannot be paid, and its {sum(order.quantities.values())} "
                                     "held unit(s) go back into stock.", f"Reason: {request.form.get('reason', '').strip()}"],
                            button="Cancel the order", back=url_for("admin.order", order_id=order.id))
    try:
        cancel_unpaid(order.id, request.form.get("reason", ""), gateway=get_gateway(), actor=current_user)
    except (OrderActionError, PaymentError) as error:
        return _order_page(_order_or_404(order_id), error.status if isinstance(error, OrderActionError) else 502,
                           errors=[Problem(str(error), getattr(error, "field", ""))])
    flash(f"Order {order.number} is cancelled and its stock released.", "info")
    return redirect(url_for("admin.order", order_id=order.id), code=303)


def _restock_from(form, order) -> dict[int, int]:
    wanted = {}
    for line in order.lines:
        raw = form.get(f"return_{line.variant_id}", "").strip()
        if raw:
            if not raw.isdigit() or len(raw) > 5:
                raise RefundError("Units back in stock must be whole numbers.", f"return-{line.variant_id}")
            wanted[line.variant_id] = wanted.get(line.variant_id, 0) + int(raw)
    return wanted


@bp.post("/orders/<int:order_id>/refund")
def refund(order_id):
    order = _order_or_404(order_id)
    form = request.form
    try:
        amount = parse_pounds(form.get("amount"), field="refund")
    except ValueError as error:
        return _order_page(order, 422, errors=[Problem(str(error), "amount")], refund_form=form)
    try:
        restock = _restock_from(form, order)
    except RefundError as error:
        return _order_page(order, 422, errors=[Problem(str(error), error.field)], refund_form=form)
    if not confirmed():
        units = sum(restock.values())
        return confirm_page(
            f"Refund {format_money(amount)} on order {order.number}?", url_for("admin.refund", order_id=order.id),
            details=[f"The money goes back to {order.email or 'the buyer'} through the payment provider.",
                     f"Reason: {REFUND_REASONS.get(form.get('reason'), 'not chosen')}" + (f" — {form.get('note')}" if form.get("note") else ""),
                     (f"{units} unit(s) are written off (not resold)." if form.get("returned_units") == "write_off"
                      else f"{units} unit(s) go back into the lots they came from.") if units else "No stock goes back on the shelf."],
            button=f"Refund {format_money(amount)}", back=url_for("admin.order", order_id=order.id))
    try:
        record, new = refund_order(order.id, amount, form.get("reason", ""), form.get("note", ""), restock,
                                   form.get("attempt", ""), gateway=get_gateway(), actor=current_user,
                                   write_off=form.get("returned_units") == "write_off")
    except RefundError as error:
        return _order_page(_order_or_404(order_id), error.status, errors=[Problem(str(error), error.field)], refund_form=form)
    except PaymentError as error:
        return _order_page(_order_or_404(order_id), 502, errors=[f"The refund did not go through: {error}"], refund_form=form)
    if new:
        flash(f"Refunded {format_money(record.amount_pence)} on order {order.number}.", "info")
    else:
        flash(f"That refund was already made ({format_money(record.amount_pence)}); nothing more was refunded.", "warning")
    return redirect(url_for("admin.order", order_id=order.id), code=303)
