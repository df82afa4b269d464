"""Error pages in the store's layout; never a traceback."""
from flask import Flask, render_template, request
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


def _page(status: int, message: str):
    if request.path.startswith("/healthz") or request.accept_mimetypes.best == "application/json":
        return {"error": TITLES.get(status, "Error"), "message": message}, status
    return render_template("errors/error.html", status=status, title=TITLES.get(status, "Error"), message=message), status


def register(app: Flask) -> None:
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
