"""Cached catalogue pages: body bytes keyed by the versions of what they show, holes filled per visitor.

The home, listing, product and guide pages are rendered once per key and then served from memory
(or Redis), with the CSRF token and the cart count filled in per request (holes.py). A key is
(release, visitor kind, full path, the versions the page's narrow query read): the visitor kind
holds the price tier (trade prices are part of the key, never a hole) and what the header shows
a signed-in visitor; the versions are moved by database triggers in the same transaction as the
data (versions.py), so there is no TTL and no stale page. Not cached: searches with words, the
cart, checkout, account and admin pages, admins, pages with flash messages, and any rendering that
touched the session, generated a real CSRF token or showed something of one visitor's own.

Settings: PAGE_CACHE (on | off), PAGE_CACHE_BYTES (per worker), PAGE_CACHE_URL (redis://...,
shared by app servers), PAGE_CACHE_KEY_PREFIX, PAGE_CACHE_REDIS_SECONDS.
"""
import hashlib
import os
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, g, get_flashed_messages, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from shop.page_cache.guests import plainly_a_guest
from shop.page_cache.holes import Holes, mark_personal, strip_markers  # noqa: F401 - mark_personal is for callers
from shop.page_cache.reader import VersionReader
from shop.page_cache.store import MemoryPages, PageStore, SharedPages

ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def release_id() -> str:
    """What this deploy renders with: SHOP_RELEASE if set, else a hash of the code, templates and static files
    (the same on every server of one release, and different after any change to them)."""
    if os.environ.get("SHOP_RELEASE"):
        return os.environ["SHOP_RELEASE"]
    digest = hashlib.sha256()
    for folder, pattern in (("shop", "*.py"), ("templates", "*"), ("static", "*"), ("migrations", "*.py")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class PageCache:
    def __init__(self, app: Flask):
        config = app.config
        self.release = release_id()
        self.holes = Holes(config["SECRET_KEY"], self.release)
        self.store = None
        self.reader = VersionReader(config["SQLALCHEMY_DATABASE_URI"])
        if str(config.get("PAGE_CACHE", "on")).lower() not in ("off", "0", "false", "no"):
            shared = None
            if config.get("PAGE_CACHE_URL"):
                shared = SharedPages(config["PAGE_CACHE_URL"], config.get("PAGE_CACHE_KEY_PREFIX", "") + "page:",
                                     int(config.get("PAGE_CACHE_REDIS_SECONDS", 86400)))
            self.store = PageStore(MemoryPages(int(config.get("PAGE_CACHE_BYTES", 64 * 1024 * 1024))), shared)


def register(app: Flask) -> None:
    cache = PageCache(app)
    app.extensions["page_cache"] = cache
    # Before any template compiles: Jinja builds the finalize call into the compiled code.
    app.jinja_env.finalize = strip_markers
    cache.holes.define("csrf_token", generate_csrf)

    def csrf_token():
        return cache.holes.value("csrf_token")

    # Flask-WTF offers its generate_csrf both ways; this context processor runs after its own.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})


def hole(name: str):
    return current_app.extensions["page_cache"].holes.value(name)


def define_hole(app: Flask, name: str, fill) -> None:
    app.extensions["page_cache"].holes.define(name, fill)


def _visitor_kind() -> str | None:
    """What, besides the holes, makes one visitor's page differ from another's; None: do not cache."""
    if plainly_a_guest():
        return "guest"
    user = current_user
    if not user.is_authenticated:
        return "guest"
    if user.is_admin:
        return None
    return f"signed-in:{'trade' if user.is_trade else 'retail'}:{'verified' if user.email_verified else 'unverified'}"


def _private(response):
    # Every visitor's copy differs (its token, its cart): browsers may keep it, but must ask again.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def cached_page(versions, render):
    """The page `render()` makes, from the cache when `versions()` (run first) names a stored rendering.

    versions() returns the page's versions (read before any page data) or None for "do not cache";
    render() returns the HTML, or raises to answer otherwise (404, 400), which is never stored.
    """
    cache = current_app.extensions["page_cache"]
    kind = _visitor_kind() if cache.store is not None else None
    if kind is None or request.method != "GET" or "_flashes" in session:
        return _private(make_response(render()))
    parts = versions()
    if parts is None:
        return _private(make_response(render()))
    # The script root too: a page's links start with it (a shop served under /shop and at / alike).
    digest = hashlib.sha256(repr((cache.release, kind, request.script_root, request.full_path, parts)).encode()).hexdigest()
    body = cache.store.get(digest)
    outcome = "hit"
    if body is None:
        body, storable = _render_for_cache(cache, render)
        outcome = "miss" if storable else "not stored"
        if storable:
            cache.store.put(digest, body)
    filled, holes = cache.holes.fill(body)
    response = make_response(filled)
    response.mimetype = "text/html"
    # Says what happened (for the bench and an operator's curl); a header, so never part of what is stored.
    response.headers["X-Page-Cache"] = outcome
    if outcome == "not stored":
        response.add_etag()
    else:
        # One key, one stored page (the cache's premise): the key and this visitor's holes name the
        # bytes sent as surely as a hash of them, without hashing the whole page on every hit.
        response.set_etag(hashlib.sha1(f"{digest}:{holes}".encode()).hexdigest())
    return _private(response).make_conditional(request)


def _render_for_cache(cache: PageCache, render) -> tuple[bytes, bool]:
    """Render with markers in the holes; storable unless the rendering reached into the session
    (Flask notes any use of `session` during it), made a real CSRF token or showed something personal."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    get_flashed_messages()  # none (checked by the caller), now known without asking the session again
    # The rendering shows who is signed in: flask-login's look into the session is the visitor
    # kind's (the key's), made before the rendering is watched (a hit's guest never makes it).
    current_user._get_current_object()
    visitor_session = session._get_current_object()
    visitor_session.accessed = False
    try:
        with cache.holes.rendering():
            html = render()
    finally:
        touched = visitor_session.accessed
        visitor_session.accessed = True
    storable = not touched and not g.page_personal and field not in g
    return html.encode(), storable
