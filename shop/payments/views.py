"""The demo gateway's payment page: only registered when demo payments are on."""
from flask import Blueprint, abort, redirect, render_template

from shop.cart.forms import CheckoutForm
from shop.payments.demo_gateway import DemoSessionClosed, cancel_url_of, get_demo_session, pay_demo_session
from shop.payments.gateway import SessionNotFound

bp = Blueprint("demo_pay", __name__, url_prefix="/demo-pay")


@bp.get("/<session_id>")
def page(session_id):
    try:
        row, lines = get_demo_session(session_id)
    except SessionNotFound:
        abort(404, description="We couldn't find that demo checkout.")
    return render_template("payments/demo.html", checkout=row, lines=lines, form=CheckoutForm())


@bp.post("/<session_id>/pay")
@bp.post("/<session_id>/pay-delayed", endpoint="pay_delayed", defaults={"delayed": True})
def pay(session_id, delayed=False):
    if not CheckoutForm().validate():
        abort(400, description="Your session expired. Please go back to your cart and try again.")
    try:
        return redirect(pay_demo_session(session_id, delayed=delayed), code=303)
    except SessionNotFound:
        abort(404, description="We couldn't find that demo checkout.")
    except DemoSessionClosed as error:
        abort(400, description=str(error))


@bp.post("/<session_id>/cancel")
def cancel(session_id):
    if not CheckoutForm().validate():
        abort(400, description="Your session expired. Please go back to your cart and try again.")
    try:
        return redirect(cancel_url_of(session_id), code=303)
    except SessionNotFound:
        abort(404, description="We couldn't find that demo checkout.")
