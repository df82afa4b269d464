from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from shop.cart.forms import CheckoutForm
from shop.cart.session import current_buyer, current_cart, has_plan, priced_current_cart, remember_plan, save_cart
from shop.cart.views import render_cart  # checkout's refusals are shown on the cart page
from shop.careplans.services import remembered_plan
from shop.checkout.on_account import start_on_account
from shop.checkout.services import CartNotReady, cancel_checkout, fulfil_checkout, start_checkout
from shop.clinics.spending import NeedsApproval
from shop.clinics.views import APPROVAL, chosen_site
from shop.clock import utcnow
from shop.invoicing.services import OnAccountRefused
from shop.inventory.services import OutOfStock
from shop.offers.services import CodeRefused
from shop.orders.services import OrderNotFound, guides_for, order_by_token
from shop.orders.status import PAYMENT_MADE, OrderStatus
from shop.payments.gateway import PaymentError, SessionNotFound
from shop.payments.services import get_gateway

bp = Blueprint("checkout", __name__)
MAX_REMEMBERED_ORDERS = 20


def _remember_order(token: str) -> None:
    """This browser started the checkout: it may see the order's details on the success page."""
    tokens = [t for t in session.get("my_orders", []) if t != token]
    session["my_orders"] = (tokens + [token])[-MAX_REMEMBERED_ORDERS:]


def _started_here(order) -> bool:
    """The browser that started the checkout, or the signed-in owner, may see the details."""
    if order.token in session.get("my_orders", []):
        return True
    return bool(current_user.is_authenticated and order.user_id == current_user.id)


@bp.post("/checkout")
def start():
    form = CheckoutForm()
    if not form.validate():
        return render_cart(["Your session expired. Please try again."], 400)
    cart = priced_current_cart()
    membership = current_user.clinic_membership if current_user.is_authenticated else None
    try:
        started = start_checkout(
            cart,
            get_gateway(),
            email=current_user.email if current_user.is_authenticated else None,
            user_id=current_user.id if current_user.is_authenticated else None,
            hold_minutes=current_app.config["CHECKOUT_HOLD_MINUTES"],
            success_url=url_for("checkout.success", _external=True) + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url_for=lambda token: url_for("checkout.cancel", order=token, _external=True),
            ordered_before=current_buyer().ordered_before,
            clinic_id=membership.clinic_id if membership is not None else None,
            approval_id=session.get(APPROVAL) if membership is not None else None,
            ship_to=chosen_site(cart),
        )
    except CartNotReady as error:  # refused before anything was written: the cart is as priced
        return render_cart([str(error)], 409, cart=cart)
    except CodeRefused as error:
        return render_cart([str(error)], 409)
    except NeedsApproval as error:  # over the buyer's monthly limit: the cart offers to ask the owner
        return render_cart([str(error)], 409)
    except OutOfStock as error:  # priced again: the stock it shows has just changed
        return render_cart([f"Sorry, some items sold out while you were shopping: {error}."], 409)
    except PaymentError as error:
        return render_cart([str(error)], 503)
    _remember_order(started.order.token)
    return redirect(started.redirect_url, code=303)


@bp.post("/checkout/on-account")
def on_account():
    """Pay by invoice: a clinic on payment terms confirms the order now and pays within its terms."""
    form = CheckoutForm()
    if not form.validate():
        return render_cart(["Your session expired. Please try again."], 400)
    if not current_user.is_authenticated:
        return render_cart(["Please sign in to your clinic's account to pay by invoice."], 401)
    cart = priced_current_cart()
    try:
        order = start_on_account(cart, current_user, gateway_name=get_gateway().name, now=utcnow(),
                                 ordered_before=current_buyer().ordered_before,
                                 approval_id=session.get(APPROVAL), ship_to=chosen_site(cart))
    except (CartNotReady, OnAccountRefused) as error:  # refused before anything was written
        return render_cart([str(error)], 409, cart=cart)
    except NeedsApproval as error:  # over the buyer's monthly limit: the cart offers to ask the owner
        return render_cart([str(error)], 409)
    except CodeRefused as error:
        return render_cart([str(error)], 409)
    except OutOfStock as error:
        return render_cart([f"Sorry, some items sold out while you were shopping: {error}."], 409)
    _remember_order(order.token)
    save_cart({})
    flash(f"Order {order.number} is confirmed. Its invoice will be emailed to your clinic; pay it within "
          f"{order.invoice.terms_days} days.", "success")
    return redirect(url_for("my_account.order", order_id=order.id), code=303)


@bp.get("/checkout/success")
def success():
    session_id = request.args.get("session_id", "")
    if not session_id or len(session_id) > 255:
        abort(404, description="We couldn't find that checkout.")
    try:
        order = fulfil_checkout(session_id, get_gateway())
    except (SessionNotFound, OrderNotFound):
        abort(404, description="We couldn't find that checkout.")
    except PaymentError:
        abort(503, description="We couldn't confirm your payment just now. Your order is safe: please reload this page in a minute.")
    if not _started_here(order):
        return render_template("checkout/thanks.html", order=order)
    if order.status in PAYMENT_MADE:
        emptied = session.get("emptied_for", [])
        if order.token not in emptied:
            save_cart({})
            session["emptied_for"] = (emptied + [order.token])[-MAX_REMEMBERED_ORDERS:]
    return render_template("checkout/success.html", order=order, guides=guides_for(order))


@bp.get("/checkout/cancel")
def cancel():
    token = request.args.get("order", "")
    try:
        order = cancel_checkout(token, get_gateway())
    except OrderNotFound:
        return redirect(url_for("cart.view"), code=303)
    except PaymentError as error:
        flash(str(error), "error")
        return redirect(url_for("cart.view"), code=303)
    if order.status == OrderStatus.CANCELLED:
        if not current_cart():
            # The session was lost while paying (signed out in another tab): the order still knows the cart.
            save_cart(order.quantities)
            if order.care_plan_id and not has_plan():
                remember_plan(remembered_plan(order.care_plan_id))
        flash("Checkout cancelled. Everything is still in your cart.", "success")
    elif order.status == OrderStatus.PAID:
        return redirect(url_for("checkout.order_page", token=order.token), code=303)
    return redirect(url_for("cart.view"), code=303)


@bp.get("/orders/<token>")
def order_page(token):
    try:
        order = order_by_token(token)
    except OrderNotFound:
        abort(404, description="We couldn't find that order. Check the link in your confirmation email.")
    return render_template("checkout/success.html", order=order, guides=guides_for(order), order_link=True)


@bp.get("/orders/<token>/receipt")
def order_receipt(token):
    try:
        order = order_by_token(token)
    except OrderNotFound:
        abort(404, description="We couldn't find that order.")
    if order.paid_at is None:
        abort(404, description="There is no receipt for that order yet: it hasn't been paid.")
    return render_template("orders/receipt.html", order=order)
