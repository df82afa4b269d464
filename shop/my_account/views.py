"""The account page (/account) and a customer's own order pages and receipts."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from shop.clock import utcnow
from shop.errors import found_or_404
from shop.orders.services import guides_for
from shop.orders.visibility import order_of, orders_of
from shop.reorder.running_low import due_items

bp = Blueprint("my_account", __name__, url_prefix="/account")


@bp.get("")
@login_required
def home():
    orders = orders_of(current_user)
    today = utcnow().date()
    estimates = due_items(orders)
    return render_template("my_account/home.html", orders=orders, running_low=estimates,
                           due=[e for e in estimates if e.is_due(today)], today=today)


@bp.get("/orders/<int:order_id>")
@login_required
def order(order_id):
    found = found_or_404(order_of(current_user, order_id), "We couldn't find that order in your account.")
    return render_template("my_account/order.html", order=found, guides=guides_for(found))


@bp.get("/orders/<int:order_id>/receipt")
@login_required
def receipt(order_id):
    found = order_of(current_user, order_id)
    found = found_or_404(found if found is not None and found.paid_at is not None else None, "There is no receipt for that order.")
    return render_template("orders/receipt.html", order=found)
