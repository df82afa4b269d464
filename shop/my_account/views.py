"""The account page (/account), a customer's own order pages and receipts, and their data rights (download, delete)."""
import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from shop.accounts.forms import form_errors, refused
from shop.audit.services import ACCOUNT_HOLDER
from shop.extensions import limiter
from shop.my_account.forms import DeleteAccountForm
from shop.clock import utcnow
from shop.errors import found_or_404
from shop.my_account.personal_data import erase_personal_data, orders_csv, personal_data
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


def _download(body: str, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                                      "Cache-Control": "no-store"})


@bp.get("/my-data.json")
@login_required
def download_data():
    data = personal_data(current_user.email)
    return _download(json.dumps(data, indent=2, ensure_ascii=False), "application/json", "my-data.json")


@bp.get("/my-orders.csv")
@login_required
def download_orders():
    body = orders_csv(personal_data(current_user.email), current_app.config["VAT_RATE_PERCENT"])
    return _download(body, "text/csv", "my-orders.csv")


def _account_key() -> str:
    return f"delete:{current_user.id if current_user.is_authenticated else '?'}"


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"], key_func=_account_key, methods=["POST"],
               deduct_when=lambda response: response.status_code != 303)
def delete_account():
    form = DeleteAccountForm()
    if request.method == "POST":
        if not form.validate():
            return render_template("my_account/delete.html", form=form, errors=form_errors(form)), 400
        if not current_user.check_password(form.password.data):
            return render_template("my_account/delete.html", form=form,
                                   errors=refused(form, "That password isn't right.", "password")), 401
        # The audit names no one: an entry with the leaving customer's email would keep it after the erasure.
        erase_personal_data(current_user.email, actor=ACCOUNT_HOLDER, asked_by="the customer, from their account page")
        logout_user()
        session.clear()
        flash("Your account is deleted, and your personal details with it. We keep only what tax law requires of past orders.", "success")
        return redirect(url_for("home.index"), code=303)
    return render_template("my_account/delete.html", form=form)
