"""The clinic's invoices in the account (/account/invoices), and the demo gateway's invoice page."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from shop.cart.forms import CheckoutForm
from shop.clock import utcnow
from shop.invoicing.events import invoice_changed
from shop.invoicing.services import invoices_of_clinic, on_account_offer, standing_of
from shop.payments.demo_gateway import DemoSessionClosed, get_demo_invoice, pay_demo_invoice
from shop.payments.gateway import InvoiceNotFound, PaymentError
from shop.payments.services import get_gateway

bp = Blueprint("invoicing", __name__, url_prefix="/account")
demo_bp = Blueprint("demo_invoice", __name__, url_prefix="/demo-pay/invoices")


@bp.app_template_global()
def pay_by_invoice_offer(cart):
    """For the cart's summary: whether the signed-in buyer's clinic may pay this cart by invoice, and if not why
    (None for everyone whose clinic has no terms). The cart knows nothing of invoices; it asks this."""
    if not cart.lines:
        return None
    return on_account_offer(current_user, cart.total_pence, utcnow())


@bp.get("/invoices")
@login_required
def invoices():
    """Every member of a clinic sees its invoices: they share one account with us."""
    clinic = current_user.clinic
    if clinic is None:
        abort(404, description="Invoices are for clinics that buy on account.")
    now = utcnow()
    return render_template("invoicing/invoices.html", clinic=clinic, standing=standing_of(clinic.id, now),
                           invoices=invoices_of_clinic(clinic.id), now=now)


@demo_bp.get("/<invoice_id>")
def page(invoice_id):
    try:
        row, lines = get_demo_invoice(invoice_id)
    except InvoiceNotFound:
        abort(404, description="We couldn't find that demo invoice.")
    return render_template("payments/demo_invoice.html", invoice=row, lines=lines, form=CheckoutForm())


@demo_bp.post("/<invoice_id>/pay")
def pay(invoice_id):
    if not CheckoutForm().validate():
        abort(400, description="Your session expired. Please open the invoice again and try again.")
    try:
        pay_demo_invoice(invoice_id)
        invoice = invoice_changed(invoice_id, get_gateway(), utcnow())  # the same code the webhook runs
    except InvoiceNotFound:
        abort(404, description="We couldn't find that demo invoice.")
    except DemoSessionClosed as error:
        abort(400, description=str(error))
    except PaymentError:
        abort(503, description="We couldn't record the payment just now. Please try again in a minute.")
    if invoice is None:
        abort(404, description="We couldn't find the order of that demo invoice.")
    return redirect(url_for("checkout.order_page", token=invoice.order.token), code=303)
