"""Back office: a person's request, by email address, to see or erase their data (guests too).

The rules are the account page's own (shop/my_account/personal_data.py): the same export, the same
erasure keeping what tax records need; both audited under the admin's name.
"""
import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.accounts.services import AccountError, normalise_email
from shop.admin import bp
from shop.my_account.personal_data import RequestRefused, erase_on_request, export_on_request, personal_data, summary_of


def _page(status=200, email="", errors=None, summary=None):
    return render_template("admin/data_requests.html", email=email, errors=errors, summary=summary), status


def _email():
    """The address asked about, normalised, or (None, the refusal page)."""
    typed = (request.values.get("email") or "").strip()
    try:
        return normalise_email(typed), None
    except AccountError as error:
        return None, _page(400, typed[:254], errors=[str(error) if typed else "Enter the email address the request is about."])


@bp.get("/data-requests")
def data_requests():
    if "email" not in request.args:
        return _page()
    email, refused = _email()
    if refused:
        return refused
    return _page(email=email, summary=summary_of(personal_data(email)))


@bp.post("/data-requests/export")
def export_data():
    email, refused = _email()
    if refused:
        return refused
    body = json.dumps(export_on_request(email, actor=current_user), indent=2, ensure_ascii=False)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="personal-data.json"', "Cache-Control": "no-store"})


@bp.post("/data-requests/erase")
def erase_data():
    email, refused = _email()
    if refused:
        return refused
    if request.form.get("confirm") != "yes":
        return render_template("admin/confirm.html", question=f"Erase the personal data of {email}?",
                               details=summary_of(personal_data(email)) + ["This cannot be undone."],
                               action=url_for("admin.erase_data"), fields=[("email", email)], button="Erase their data",
                               danger=True, back=url_for("admin.data_requests", email=email))
    try:
        kept = erase_on_request(email, actor=current_user)
    except RequestRefused as error:
        return _page(409, email, errors=[str(error)])
    flash(f"The personal data of that address is erased; {kept} order{'s' if kept != 1 else ''} kept for tax records, "
          "with nothing that names them.", "success")
    return redirect(url_for("admin.data_requests"), code=303)
