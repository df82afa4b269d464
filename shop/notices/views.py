"""/back-in-stock: ask to be emailed when a sold-out size is back, confirm, unsubscribe."""
from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from shop.accounts.tokens import BadLink
from shop.accounts.views import safe_next
from shop.extensions import csrf, limiter
from shop.cart.session import current_cart, save_cart, trade_pricing
from shop.notices import refills, services
from shop.page_cache import mark_personal
from shop.reorder.services import Wanted, add_many
from shop.problems import Problem

bp = Blueprint("notices", __name__)


def _variant_id():
    raw = request.form.get("variant_id", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _email_key() -> str:
    return "back-in-stock:" + request.form.get("email", "").strip().lower()[:254]


@bp.post("/back-in-stock")
@limiter.limit(lambda: current_app.config["EMAIL_LINK_LIMIT"], key_func=_email_key,
               error_message="We've sent several links to that address already. Please try again in an hour.")
def ask():
    back = safe_next(request.form.get("next")) or url_for("catalog.products")
    variant_id = _variant_id()
    email = request.form.get("email", "")
    try:
        if current_user.is_authenticated and not email.strip():
            services.ask_as_customer(variant_id, current_user)
            flash(f"We'll email {current_user.email} once when it's back.", "success")
            return redirect(back, code=303)
        email = services.ask_as_guest(variant_id, email)
    except services.NoticeError as error:
        variant = services.db.session.get(services.Variant, variant_id) if variant_id else None
        return render_template("notices/ask.html", variant=variant, email=email[:254], back=back,
                               errors=[Problem(str(error), error.field)]), error.status
    return render_template("notices/check_email.html", email=email, back=back)


@bp.get("/back-in-stock/confirm/<token>")
def confirm(token):
    try:
        variant = services.confirm(token)
    except BadLink as error:
        return render_template("accounts/bad_link.html", message=str(error), again=url_for("catalog.products")), 400
    return render_template("notices/confirmed.html", variant=variant)


@bp.route("/back-in-stock/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    try:
        email = services.read_unsubscribe(token)
        if request.method == "POST":
            services.unsubscribe(token)
            return render_template("notices/unsubscribed.html", email=email, done=True)
    except BadLink as error:
        return render_template("accounts/bad_link.html", message=str(error), again=url_for("catalog.products")), 400
    return render_template("notices/unsubscribed.html", email=email, token=token, done=False)


@bp.route("/back-in-stock/one-click/<token>", methods=["GET", "POST"])
def one_click_unsubscribe(token):
    """RFC 8058: a mail program's Unsubscribe button POSTs `List-Unsubscribe=One-Click` here, with no
    cookie and no form token. The signed token in the address is what authorises it, so a forged
    cross-site POST would need the customer's email to hand."""
    if request.method == "GET":  # a person who opened the header's link: the page that asks first
        return redirect(url_for("notices.unsubscribe", token=token), code=303)
    if request.form.get("List-Unsubscribe") != "One-Click":
        return Response("Expected List-Unsubscribe=One-Click.\n", 400, mimetype="text/plain")
    try:
        services.unsubscribe(token)
    except BadLink as error:
        return Response(f"{error}\n", 400, mimetype="text/plain")
    return Response("Unsubscribed from back-in-stock emails.\n", 200, mimetype="text/plain")


csrf.exempt(one_click_unsubscribe)


def _sizes_this_customer_waits_for(variants) -> set[int]:
    if current_user.is_authenticated:
        mark_personal()  # the customer's own requests: that page is not cached
    return services.waiting_for(current_user, list(variants))


@bp.app_context_processor
def _sizes_waited_for():
    # Pages with sold-out sizes ask which ones the signed-in customer is already waiting for.
    return {"back_in_stock_waiting": _sizes_this_customer_waits_for,
            "refill_reminders_on": lambda: refills.wants_reminders(current_user)}


@bp.post("/account/refill-reminders")
@login_required
def choose_refill_reminders():
    on = request.form.get("refill_reminders") == "on"
    refills.choose_reminders(current_user, on)
    flash("We'll email you a week before something you reorder is due." if on else "No more refill reminders.", "success")
    return redirect(url_for("my_account.home") + "#refill-heading", code=303)


@bp.get("/refill/<token>")
def refill_to_cart(token):
    """The reminder's one-click link: the item goes into the cart of whoever opens it, nothing more."""
    try:
        variant_id, quantity, name = refills.read_refill_link(token)
    except BadLink as error:
        return render_template("accounts/bad_link.html", message=str(error), again=url_for("my_account.home")), 400
    cart, report = add_many(current_cart(), [Wanted(variant_id, quantity, name)],
                            max_per_line=current_app.config["MAX_QUANTITY_PER_LINE"], trade=trade_pricing(),
                            currency=current_app.config["STORE_CURRENCY"])
    save_cart(cart)
    for category, message in report.messages():
        flash(message, category)
    return redirect(url_for("cart.view"), code=303)
