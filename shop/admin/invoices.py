"""Pay on account in the back office: clinics' terms, their invoices and credit, voiding, the aged debt."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from shop.admin import bp
from shop.admin.common import confirm_page, confirmed, csv_response
from shop.clinics.models import Clinic
from shop.clock import utcnow
from shop.errors import found_or_404
from shop.extensions import db
from shop.invoicing.backoffice import TermsError, aged_debt_csv, clinic_ledger, clinics_on_terms, grant_terms, void_invoice
from shop.invoicing.models import TERM_DAYS, Invoice
from shop.money import pounds_text
from shop.payments.gateway import PaymentError
from shop.payments.services import get_gateway
from shop.problems import Problem


@bp.get("/invoices")
def invoices():
    now = utcnow()
    return render_template("admin/invoices.html", debtors=clinics_on_terms(now), now=now)


@bp.get("/aged-debt.csv")
def aged_debt_export():
    now = utcnow()
    return csv_response(aged_debt_csv(now), f"aged-debt-{now.date().isoformat()}.csv")


@bp.get("/invoices/for-trade-account/<int:account_id>")
def invoices_for_trade_account(account_id):
    """From a practitioner's page to their clinic's terms and invoices."""
    clinic = found_or_404(db.session.scalar(select(Clinic).where(Clinic.trade_account_id == account_id)))
    return redirect(url_for("admin.clinic_invoices", clinic_id=clinic.id), code=303)


def _clinic_page(clinic_id, status=200, errors=None):
    ledger = found_or_404(clinic_ledger(clinic_id, utcnow()))
    return render_template("admin/clinic_invoices.html", ledger=ledger, term_days=TERM_DAYS, errors=errors,
                           form=request.form, pounds_text=pounds_text), status


@bp.get("/invoices/clinics/<int:clinic_id>")
def clinic_invoices(clinic_id):
    return _clinic_page(clinic_id)


@bp.post("/invoices/clinics/<int:clinic_id>/terms")
def clinic_terms(clinic_id):
    try:
        terms = grant_terms(clinic_id, request.form.get("days", ""), request.form.get("credit_limit", ""), actor=current_user)
    except TermsError as error:
        return _clinic_page(clinic_id, error.status, [Problem(str(error), error.field)])
    flash(f"{terms.clinic.name}: " + (f"{terms.days}-day terms saved." if terms.days else "payment terms withdrawn."), "info")
    return redirect(url_for("admin.clinic_invoices", clinic_id=clinic_id), code=303)


@bp.post("/invoices/<int:invoice_id>/void")
def void(invoice_id):
    invoice = found_or_404(db.session.get(Invoice, invoice_id))
    clinic_id = invoice.clinic_id
    reason = request.form.get("reason", "").strip()[:300]
    if reason and not confirmed():
        return confirm_page(f"Void the invoice of order {invoice.order.number}?",
                            url_for("admin.void", invoice_id=invoice.id),
                            details=["It can no longer be paid, the order is cancelled and its stock goes back on sale.",
                                     f"Reason: {reason}"],
                            button="Void the invoice", back=url_for("admin.clinic_invoices", clinic_id=clinic_id))
    try:
        void_invoice(invoice.id, reason, gateway=get_gateway(), actor=current_user, now=utcnow())
    except TermsError as error:
        return _clinic_page(clinic_id, error.status, [Problem(str(error), error.field)])
    except PaymentError as error:
        db.session.rollback()
        return _clinic_page(clinic_id, 503, [str(error)])
    flash(f"The invoice of order {invoice.order.number} is void; the order is cancelled and its stock is back.", "info")
    return redirect(url_for("admin.clinic_invoices", clinic_id=clinic_id), code=303)
