"""Register, confirm, sign in and out, reset a password, and trade applications (the account page is shop.my_account)."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from shop.accounts.forms import (
    NewPasswordForm,
    RegisterForm,
    ResetRequestForm,
    SignInForm,
    SignOutForm,
    TradeApplicationForm,
    form_errors,
    refused,
)
from shop.accounts.services import (
    AccountError,
    Application,
    NotVerified,
    apply_for_trade,
    authenticate,
    normalise_email,
    register as register_account,
    request_password_reset,
    reset_password as set_new_password,
    send_verification,
    user_for_reset,
    verify_email,
)
from shop.accounts.tokens import BadLink
from shop.extensions import limiter

bp = Blueprint("accounts", __name__, url_prefix="/account")

TOO_MANY = "Too many sign-in attempts. For your security, please wait 15 minutes and try again, or reset your password."
TOO_MANY_EMAILS = "We've sent several emails to that address already. Please check your inbox (and spam folder), or try again in an hour."
# What survives the session renewal at sign-in: the cart and the checkouts this browser started.
KEPT_ON_SIGN_IN = ("cart", "my_orders", "emptied_for")
# Who typed the right password and is waiting to type a second-factor code (shop/accounts/factor_views.py).
PENDING = "factor_pending"


def _email_key() -> str:
    """Rate-limit key for one account, whether or not it exists (so the limit reveals nothing)."""
    try:
        return "account:" + normalise_email(request.form.get("email", ""))
    except AccountError:
        return "account:?"


def _failed(response) -> bool:
    return response.status_code != 303


def safe_next(target: str | None) -> str | None:
    """A path on this site to go to after signing in, or None: `next` never leaves the store."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _sign_in(user, remember=False) -> None:
    """Renew the session (new CSRF token, nothing an attacker planted survives) and sign in."""
    kept = {key: session[key] for key in KEPT_ON_SIGN_IN if key in session}
    session.clear()
    session.update(kept)
    login_user(user, remember=remember)


def _landing(user) -> str:
    """Where someone goes after signing in with no `next`: admins come to work, not to shop."""
    return url_for("admin.dashboard") if user.is_admin else url_for("my_account.home")


def _page(template, status=200, **context):
    return render_template(template, **context), status


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["EMAIL_LINK_LIMIT"], key_func=_email_key, methods=["POST"],
               error_message=TOO_MANY_EMAILS)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("my_account.home"))
    form = RegisterForm()
    if request.method == "POST":
        if not form.validate():
            return _page("accounts/register.html", 400, form=form, errors=form_errors(form))
        try:
            register_account(form.email.data, form.password.data, form.name.data or "")
        except AccountError as error:
            return _page("accounts/register.html", 400, form=form, errors=refused(form, str(error), error.field))
        return _page("accounts/check_email.html", email=form.email.data.strip(), reason="register")
    return _page("accounts/register.html", form=form)


@bp.get("/verify/<token>")
def verify(token):
    try:
        user = verify_email(token)
    except BadLink as error:
        return _page("accounts/bad_link.html", 400, message=str(error), again=url_for("accounts.sign_in"))
    if not current_user.is_authenticated or current_user.id != user.id:
        _sign_in(user)
    flash("Thank you, your email address is confirmed. You're signed in.", "success")
    return redirect(url_for("my_account.home"), code=303)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed,
               error_message=TOO_MANY)
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"], key_func=_email_key, methods=["POST"],
               deduct_when=_failed, error_message=TOO_MANY)
def sign_in():
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        return _page("accounts/sign_in.html", form=form)
    if not form.validate():
        return _page("accounts/sign_in.html", 400, form=form, errors=form_errors(form))
    try:
        user = authenticate(form.email.data, form.password.data)
    except NotVerified as unverified:
        send_verification(unverified.user)
        return _page("accounts/check_email.html", email=unverified.user.email, reason="unverified")
    if user is None:
        return _page("accounts/sign_in.html", 401, form=form,
                     errors=refused(form, "That email and password don't match an account. Check them, or reset your password.", "email"))
    if user.has_second_factor:
        session[PENDING] = {"user": user.get_id(), "remember": bool(form.remember.data), "next": safe_next(form.next.data) or ""}
        return redirect(url_for("accounts.second_factor"), code=303)
    _sign_in(user, remember=form.remember.data)
    flash("You're signed in.", "success")
    return redirect(safe_next(form.next.data) or _landing(user), code=303)


@bp.post("/sign-out")
def sign_out():
    if not SignOutForm().validate():
        abort(400)
    logout_user()
    session.clear()  # a shared clinic computer keeps nothing of the last person
    flash("You're signed out.", "success")
    return redirect(url_for("home.index"), code=303)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["EMAIL_LINK_LIMIT"], key_func=_email_key, methods=["POST"],
               error_message=TOO_MANY_EMAILS)
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"], error_message=TOO_MANY_EMAILS)
def request_reset():
    form = ResetRequestForm()
    if request.method == "POST":
        if not form.validate():
            return _page("accounts/reset_request.html", 400, form=form, errors=form_errors(form))
        try:
            normalise_email(form.email.data)
        except AccountError as error:
            return _page("accounts/reset_request.html", 400, form=form, errors=refused(form, str(error), "email"))
        request_password_reset(form.email.data)
        return _page("accounts/check_email.html", email=form.email.data.strip(), reason="reset")
    return _page("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        user_for_reset(token)
    except BadLink as error:
        return _page("accounts/bad_link.html", 400, message=str(error), again=url_for("accounts.request_reset"))
    form = NewPasswordForm()
    if request.method == "POST":
        if not form.validate():
            return _page("accounts/reset_password.html", 400, form=form, errors=form_errors(form))
        try:
            user = set_new_password(token, form.password.data)
        except (AccountError, BadLink) as error:
            return _page("accounts/reset_password.html", 400, form=form, errors=refused(form, str(error), getattr(error, "field", "")))
        _sign_in(user)
        flash("Your password is changed and you're signed in. Any other devices have been signed out.", "success")
        return redirect(_landing(user), code=303)
    return _page("accounts/reset_password.html", form=form)


@bp.route("/trade", methods=["GET", "POST"])
@login_required
def trade():
    account = current_user.trade_account
    can_apply = account is None or account.status == "rejected"
    form = TradeApplicationForm()
    if request.method == "POST":
        if not can_apply:
            return _page("accounts/trade.html", 409, form=form, account=account, can_apply=False,
                         errors=["You have already applied for a trade account."])
        if not form.validate():
            return _page("accounts/trade.html", 400, form=form, account=account, can_apply=True, errors=form_errors(form))
        fields = {name: form[name].data for name in Application.__dataclass_fields__}
        try:
            apply_for_trade(current_user, Application(**fields))
        except AccountError as error:
            return _page("accounts/trade.html", 400, form=form, account=account, can_apply=True,
                         errors=refused(form, str(error), error.field))
        flash("Thank you. We've received your application and will email you when it's decided, usually within a working day.", "success")
        return redirect(url_for("my_account.home"), code=303)
    return _page("accounts/trade.html", form=form, account=account, can_apply=can_apply)


from shop.accounts import factor_views  # noqa: E402,F401  (its pages are on this blueprint)
