"""Serving the store in production: fingerprinted static files, compression, proxies.

- Static URLs carry a hash of the file's content (`/static/css/shop.css?v=<hash>`), added by a
  `url_defaults` hook, so templates keep calling `url_for('static', filename=...)`. A request
  whose hash matches the file on disk is cacheable for a year (`immutable`); a wrong or old hash
  still gets the current file, but only with `no-cache` (the browser must revalidate), so a
  stale page never pins an old stylesheet for a year.
- Responses are compressed (zstd, brotli, gzip) when the browser asks, by Flask-Compress.
- Behind a reverse proxy, `PROXY_FIX_HOPS` (how many proxies set X-Forwarded-*) turns on
  werkzeug's ProxyFix, so the app sees the client's scheme, host and address. With 0 (the
  default) forwarded headers are ignored: anyone can send them.
"""
import hashlib
import os

from flask import Flask, request
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
FINGERPRINT_ARG = "v"

compress = Compress()


class StaticFingerprints:
    """Content hashes of files under the static folder, recomputed when a file changes."""

    def __init__(self, folder: str):
        self.folder = folder
        self._known: dict[str, tuple[tuple[int, int], str]] = {}

    def digest(self, filename: str) -> str | None:
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        version = (stat.st_mtime_ns, stat.st_size)
        known = self._known.get(filename)
        if known and known[0] == version:
            return known[1]
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()[:16]
        self._known[filename] = (version, digest)
        return digest


def register(app: Flask) -> None:
    fingerprints = StaticFingerprints(app.static_folder)
    app.extensions["static_fingerprints"] = fingerprints

    @app.url_defaults
    def fingerprint_static_urls(endpoint, values):
        if endpoint == "static" and "filename" in values and FINGERPRINT_ARG not in values:
            digest = fingerprints.digest(values["filename"])
            if digest:
                values[FINGERPRINT_ARG] = digest

    @app.after_request
    def cache_fingerprinted_static(response):
        if request.endpoint == "static" and response.status_code in (200, 304):
            asked = request.args.get(FINGERPRINT_ARG)
            filename = (request.view_args or {}).get("filename", "")
            if asked and asked == fingerprints.digest(filename):
                response.headers["Cache-Control"] = IMMUTABLE
        return response

    compress.init_app(app)

    hops = int(app.config.get("PROXY_FIX_HOPS") or 0)
    if hops > 0:
        # X-Forwarded-Prefix is left alone: few proxies set it, so a client could.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
