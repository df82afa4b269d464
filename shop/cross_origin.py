"""A second guard against cross-site request forgery, beside Flask-WTF's tokens.

Browsers say where a request comes from; a form or script on another site that makes a
visitor's browser POST to the shop is refused here, whatever token it carries (a token can leak:
a cached page, a screenshot, a log). The rule is Go 1.25's `net/http.CrossOriginProtection`:

- GET, HEAD and OPTIONS always pass: they change nothing, and links from other sites must work.
- `Sec-Fetch-Site` (every current browser sends it): `same-origin` (our own pages) and `none`
  (typed in, a bookmark) pass; `cross-site` is refused, and so is `same-site`: a page on a sibling
  subdomain (blog.example.com for shop.example.com) is another origin that no form of ours lives
  on, and our SameSite=Lax session cookie *is* sent with same-site requests, so a subdomain taken
  over or with a script injected could otherwise post as the visitor. Any other value is refused.
- No `Sec-Fetch-Site` (older browsers): the `Origin` header must name this shop: the host the
  request was sent to, or `STORE_URL`'s origin. `Origin: null` (a sandboxed frame, a file) is refused.
- Neither header: not a browser (curl, a monitoring probe, the test client), or a browser too old
  to say; it passes here, and the CSRF token still protects every form.

The Stripe webhook is exempt (Stripe signs its requests; it sends neither header anyway).
"""
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})
_exempt_views: set[str] = set()

TITLE = "We didn't accept that form"
MESSAGE = ("That form was sent to us from another website, so we didn't act on it and nothing was changed. "
           "If you meant to do this, open the page on our shop and send the form from there.")


class CrossOriginRefused(Forbidden):
    description = MESSAGE


def exempt(view):
    """Let a view take unsafe requests from anywhere (it must check who sent them another way)."""
    _exempt_views.add(f"{view.__module__}.{view.__name__}")
    return view


def refusal(method: str, fetch_site: str | None, origin: str | None, host: str, store_url: str) -> str | None:
    """Why this request must be refused as cross-origin, or None when it may go on."""
    if method.upper() in SAFE_METHODS:
        return None
    if fetch_site:
        return None if fetch_site.lower() in ALLOWED_FETCH_SITES else f"Sec-Fetch-Site: {fetch_site}"
    if not origin:
        return None
    parts = urlsplit(origin)
    if parts.netloc and parts.netloc.lower() == host.lower():
        return None
    store = urlsplit(store_url or "")
    if store.netloc and (parts.scheme, parts.netloc.lower()) == (store.scheme, store.netloc.lower()):
        return None
    return f"Origin: {origin}"


def _check():
    if request.method in SAFE_METHODS:
        return None  # as refusal() says, before the view's lookup and the headers it reads (most requests)
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if view is not None and f"{view.__module__}.{view.__name__}" in _exempt_views:
        return None
    reason = refusal(request.method, request.headers.get("Sec-Fetch-Site"), request.headers.get("Origin"),
                     request.host, current_app.config.get("STORE_URL", ""))
    if reason:
        current_app.logger.warning("refused a cross-origin %s %s (%s)", request.method, request.path, reason)
        raise CrossOriginRefused()
    return None


def _refused(error: CrossOriginRefused):
    if request.accept_mimetypes.best == "application/json":
        return {"error": TITLE, "message": MESSAGE}, 403
    return render_template("errors/error.html", status=403, title=TITLE, message=MESSAGE), 403


def register(app: Flask) -> None:
    # First of all the before-request steps: ahead of Flask-WTF's token check, so a forged request
    # gets this page (not "your session expired"), and before any view's own work.
    app.before_request_funcs.setdefault(None, []).insert(0, _check)
    app.register_error_handler(CrossOriginRefused, _refused)
