"""Error pages in the store's layout; never a traceback."""
from urllib.parse import urlsplit

from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, InterfaceError
from werkzeug.exceptions import HTTPException

from shop.extensions import db

TITLES = {
    400: "That request didn't make sense",
    403: "You can't open this page",
    404: "Page not found",
    405: "That isn't allowed here",
    413: "That upload is too large",
    429: "Too many requests",
    500: "Something went wrong on our side",
    503: "We'll be back shortly",
}

FRIENDLY = {
    404: "The page you asked for isn't here. It may have moved, or the address may be mistyped.",
    400: "Please check the address or the form and try again.",
}


# A form whose CSRF token no longer matches the session: signed out in another tab, the cookie
# cleared or expired. Said in plain words, never "The CSRF tokens do not match".
SESSION_EXPIRED = "Your session expired"
EXPIRED = ("Your session expired (for example, you signed out in another tab), so we couldn't do that. "
           "Nothing was changed. Please try again.")
EXPIRED_PAYING = ("Your session expired (for example, you signed out in another tab), so we couldn't take the payment. "
                  "Nothing was charged, and your order is still held for you: press Pay again, or cancel it.")
PAYING = {"demo_pay.pay", "demo_pay.pay_delayed"}


def found_or_404(thing, description: str | None = None):
    """`thing`, or the 404 page when a lookup found nothing: an unknown id in the address, or someone else's."""
    if thing is None:
        abort(404, description=description)
    return thing


def _wants_json() -> bool:
    return request.path.startswith("/healthz") or request.accept_mimetypes.best == "application/json"


def _page(status: int, message: str, title: str | None = None, back: str | None = None):
    title = title or TITLES.get(status, "Error")
    if _wants_json():
        return {"error": title, "message": message}, status
    return render_template("errors/error.html", status=status, title=title, message=message, back=back), status


def _page_the_form_was_on() -> str | None:
    """The shop page the browser says the form came from; None for anywhere else (no open redirect)."""
    parts = urlsplit(request.referrer or "")
    if parts.scheme not in ("http", "https") or parts.netloc != request.host or not parts.path.startswith("/") \
            or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def session_expired(error: CSRFError):
    """Back to the page the form was on, with what happened and what to do; a 400 page when we can't tell."""
    message = EXPIRED_PAYING if request.endpoint in PAYING else EXPIRED
    back = _page_the_form_was_on()
    if back and not _wants_json():
        flash(message, "warning")
        return redirect(back, code=303)
    if back is None and request.endpoint and request.endpoint.startswith("demo_pay."):
        back = url_for("demo_pay.page", session_id=request.view_args["session_id"])  # the order is still there to pay
    return _page(400, message, title=SESSION_EXPIRED, back=back)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, session_expired)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        own_words = error.description != type(error).description
        return _page(error.code, error.description if own_words else FRIENDLY.get(error.code, ""))

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        db.session.rollback()
        app.logger.error("database unavailable: %s", error.__class__.__name__)
        return _page(503, "Our shop is having trouble reaching its stock room. Please try again in a minute.")

    @app.errorhandler(OverflowError)
    def number_too_large(error):
        # A number from a form or address too big for a database integer (SQLite refuses to bind
        # it): bad input, not a fault. Forms should catch it first; this keeps any that don't at 400.
        db.session.rollback()
        app.logger.warning("number out of range in %s %s", request.method, request.path)
        return _page(400, "That number is too large. Please check the form and try again.")

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unhandled error")
        db.session.rollback()
        return _page(500, "We've been told about it. Please try again.")
