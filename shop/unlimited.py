"""Which endpoints no rate limit can apply to, so the limiter lets their requests through unchecked.

The shop declares limits on a few views (sign-in, codes, links) and none by default, yet the
limiter resolved the limits of every request, a cached page's included (about 20 µs each, a tenth
of a hit's time by the profile). An endpoint is unlimited when the limiter itself knows of no limit that could reach it:
no application, default, meta, fallback or blueprint limits at all, none decorated on its view,
and every decorated limit sits on a view (a limit on a helper or a `with` block could run inside
any view, so then nothing is exempt). What the limiter knows is read, never a list kept by hand,
and read again whenever it learns of another decorated limit or endpoint hint, so a limit added
later is never skipped.
"""
from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_qualified_name


class ShopLimiter(Limiter):
    def _check_request_limit(self, callable_name=None, in_middleware=True):
        # The before-request check (in_middleware) of an unlimited endpoint would resolve no limit and
        # evaluate none; skipped, rather than filtered (a request filter still ran most of the check).
        # A decorated view's own check (in_middleware False) always runs.
        if in_middleware and self.identify_request() in unlimited_endpoints(self, current_app):
            return None
        return super()._check_request_limit(callable_name, in_middleware)


def unlimited_endpoints(limiter: Limiter, app: Flask) -> frozenset:
    known = _knowledge(limiter)
    kept = app.extensions.get("unlimited_endpoints")
    if kept is None or kept[0] != known:
        kept = app.extensions["unlimited_endpoints"] = (known, _unlimited(limiter, app))
    return kept[1]


def _knowledge(limiter: Limiter) -> tuple:
    # What a limit added since the set was worked out would change (decorators and `with` blocks add here).
    manager = limiter.limit_manager
    return (len(manager._decorated_limits), sum(len(hints) for hints in manager._endpoint_hints.values()))


def _unlimited(limiter: Limiter, app: Flask) -> frozenset:
    manager = limiter.limit_manager
    if (manager._application_limits or manager._default_limits or manager._blueprint_limits
            or limiter._meta_limits or limiter._in_memory_fallback or manager._endpoint_hints):
        return frozenset()
    views = {endpoint: get_qualified_name(view) for endpoint, view in app.view_functions.items()}
    if not set(manager._decorated_limits) <= set(views.values()):
        return frozenset()
    return frozenset(endpoint for endpoint, name in views.items() if name not in manager._decorated_limits)
