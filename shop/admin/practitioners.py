from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.accounts.backoffice import decide_application, list_trade_accounts, set_discount, suspend_trade
from shop.accounts.models import TRADE_STATUSES, TradeAccount
from shop.accounts.services import AccountError
from shop.admin import bp
from shop.admin.common import confirm_page, confirmed
from shop.errors import found_or_404
from shop.extensions import db
from shop.problems import Problem


@bp.get("/practitioners")
def practitioners():
    status = request.args.get("status", "") if request.args.get("status") in TRADE_STATUSES else ""
    return render_template("admin/practitioners.html", accounts=list_trade_accounts(status), status=status,
                           statuses=TRADE_STATUSES)


def _account_or_404(account_id) -> TradeAccount:
    return found_or_404(db.session.get(TradeAccount, account_id))


def _page(account, status=200, errors=None):
    return render_template("admin/practitioner.html", account=account, errors=errors, form=request.form), status


@bp.get("/practitioners/<int:account_id>")
def practitioner(account_id):
    return _page(_account_or_404(account_id))


@bp.post("/practitioners/<int:account_id>/approve")
def approve(account_id):
    account = _account_or_404(account_id)
    try:
        decide_application(account.id, True, "", actor=current_user)
    except AccountError as error:
        return _page(_account_or_404(account_id), 409, errors=[str(error)])
    flash(f"{account.clinic_name} is approved; {account.user.email} has been emailed.", "info")
    return redirect(url_for("admin.practitioners", status="pending"), code=303)


@bp.post("/practitioners/<int:account_id>/reject")
def reject(account_id):
    account = _account_or_404(account_id)
    reason = request.form.get("reason", "").strip()[:500]
    if not reason:
        return _page(account, 422, errors=[Problem("Give a reason for the rejection; the applicant is told it.", "reject-reason")])
    if not confirmed():
        return confirm_page(f"Reject the application from {account.clinic_name}?",
                            url_for("admin.reject", account_id=account.id),
                            details=[f"{account.user.email} is emailed this reason: {reason}"],
                            button="Reject the application", back=url_for("admin.practitioner", account_id=account.id))
    try:
        decide_application(account.id, False, reason, actor=current_user)
    except AccountError as error:
        return _page(_account_or_404(account_id), 409, errors=[str(error)])
    flash(f"The application from {account.clinic_name} is rejected; {account.user.email} has been emailed.", "info")
    return redirect(url_for("admin.practitioners", status="pending"), code=303)


@bp.post("/practitioners/<int:account_id>/suspend")
def suspend(account_id):
    account = _account_or_404(account_id)
    reason = request.form.get("reason", "").strip()[:500]
    if not reason:
        return _page(account, 422, errors=[Problem("Give a reason for the suspension; the practitioner is told it.", "suspend-reason")])
    if not confirmed():
        return confirm_page(f"Suspend the trade account of {account.clinic_name}?",
                            url_for("admin.suspend", account_id=account.id),
                            details=["They stop seeing and paying trade prices at once.",
                                     f"{account.user.email} is emailed this reason: {reason}"],
                            button="Suspend the account", back=url_for("admin.practitioner", account_id=account.id))
    try:
        suspend_trade(account.id, reason, actor=current_user)
    except AccountError as error:
        return _page(_account_or_404(account_id), 409, errors=[str(error)])
    flash(f"The trade account of {account.clinic_name} is suspended; {account.user.email} has been emailed.", "info")
    return redirect(url_for("admin.practitioner", account_id=account.id), code=303)


@bp.post("/practitioners/<int:account_id>/discount")
def discount(account_id):
    account = _account_or_404(account_id)
    try:
        set_discount(account.id, request.form.get("percent", ""), actor=current_user)
    except AccountError as error:
        return _page(_account_or_404(account_id), 422, errors=[Problem(str(error), "percent")])
    flash(f"{account.clinic_name}'s patients now get {account.patient_discount_percent}% off its care plans.", "info")
    return redirect(url_for("admin.practitioner", account_id=account.id), code=303)
