"""The second factor's pages: the code asked for after the password, and setting the factor up.

After the password, someone with a second factor is not signed in yet: the session holds only
who is waiting for a code. Passing it signs them in and marks this session as having passed,
which the back office's guard checks (shop/admin/__init__.py).
"""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from shop.accounts.forms import SecondFactorForm, form_errors, refused
from shop.accounts.second_factor import (
    FactorError,
    finish_setup,
    pass_second_factor,
    pending_secret,
    qr_svg,
    recovery_codes_left,
    user_for_setup,
)
from shop.accounts.services import load_user
from shop.accounts.tokens import BadLink
from shop.accounts.views import PENDING, TOO_MANY, _failed, _landing, _page, _sign_in, bp, safe_next
from shop.clock import utcnow
from shop.extensions import limiter

PASSED = "factor_passed"
WRONG_CODE = "That code doesn't match, or it has been used already. Type the code your app shows now, or a recovery code."


def second_factor_passed() -> bool:
    return current_user.is_authenticated and session.get(PASSED) == current_user.get_id()


def _waiting():
    """Who this session is asking a code of: the one who just typed a password, or someone signed in
    (by a remembered device) who has not passed the factor in this session."""
    pending = session.get(PENDING)
    if isinstance(pending, dict):
        return load_user(str(pending.get("user", ""))), pending
    if current_user.is_authenticated and current_user.has_second_factor and not second_factor_passed():
        return current_user._get_current_object(), {"remember": False, "next": safe_next(request.args.get("next")) or ""}
    return None, {}


def _code_key() -> str:
    user, _ = _waiting()
    return f"factor:{user.id if user else '?'}"


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed,
               error_message=TOO_MANY)
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"], key_func=_code_key, methods=["POST"],
               deduct_when=_failed, error_message=TOO_MANY)
def second_factor():
    user, pending = _waiting()
    if user is None:
        session.pop(PENDING, None)
        return redirect(url_for("accounts.sign_in"), code=303)
    form = SecondFactorForm()
    if request.method == "GET":
        return _page("accounts/second_factor.html", form=form)
    if not form.validate():
        return _page("accounts/second_factor.html", 400, form=form, errors=form_errors(form))
    if not pass_second_factor(user, form.code.data, utcnow()):
        return _page("accounts/second_factor.html", 401, form=form, errors=refused(form, WRONG_CODE, "code"))
    if current_user.is_authenticated and current_user.id == user.id:
        session.pop(PENDING, None)
    else:
        _sign_in(user, remember=pending.get("remember", False))
    session[PASSED] = user.get_id()
    flash("You're signed in.", "success")
    return redirect(safe_next(pending.get("next")) or _landing(user), code=303)


def _setup_page(user, status=200, **context):
    return _page("accounts/second_factor_setup.html", status, qr=qr_svg(user), secret=user.totp_secret, **context)


@bp.route("/second-factor", methods=["GET", "POST"])
@login_required
def second_factor_settings():
    """Anyone signed in may add a second factor, except an admin: for them a stolen password must not be
    enough to choose the factor, so theirs comes from a setup link made on the command line."""
    if current_user.has_second_factor or current_user.is_admin:
        left = recovery_codes_left(current_user) if current_user.has_second_factor else 0
        return _page("accounts/second_factor_status.html", left=left)
    form = SecondFactorForm()
    if request.method == "GET":
        pending_secret(current_user)
        return _setup_page(current_user, form=form)
    if not form.validate():
        return _setup_page(current_user, 400, form=form, errors=form_errors(form))
    try:
        codes = finish_setup(current_user, form.code.data, utcnow())
    except FactorError as error:
        return _setup_page(current_user, 400, form=form, errors=refused(form, str(error), "code"))
    session[PASSED] = current_user.get_id()
    return _page("accounts/recovery_codes.html", codes=codes)


@bp.route("/second-factor/setup/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed,
               error_message=TOO_MANY)
def second_factor_setup(token):
    try:
        user = user_for_setup(token)
    except BadLink as error:
        return _page("accounts/bad_link.html", 400, message=str(error), again=url_for("accounts.sign_in"))
    form = SecondFactorForm()
    if request.method == "GET":
        return _setup_page(user, form=form)
    if not form.validate():
        return _setup_page(user, 400, form=form, errors=form_errors(form))
    try:
        codes = finish_setup(user, form.code.data, utcnow())
    except FactorError as error:
        return _setup_page(user, 400, form=form, errors=refused(form, str(error), "code"))
    return _page("accounts/recovery_codes.html", codes=codes)
