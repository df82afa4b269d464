"""The benchmark's baseline: a minimal Flask app returning one static HTML page.

Served under the very same gunicorn config as the store, it shows what this machine can do
with no database, no templates and no session: the store's pages are compared with it.
BASELINE_BYTES sets the page's size (the bench passes the size of a store listing page).
"""
import os

from flask import Flask

_SIZE = int(os.environ.get("BASELINE_BYTES") or 20000)
_HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baseline</title></head><body><main>'
_TAIL = "</main></body></html>"
_PARAGRAPH = "<p>A static paragraph of the baseline page, as long as a product card in the listing.</p>\n"
_body = (_PARAGRAPH * (_SIZE // len(_PARAGRAPH) + 1))[: max(0, _SIZE - len(_HEAD) - len(_TAIL))]
PAGE = (_HEAD + _body + _TAIL).encode()

app = Flask(__name__)


@app.get("/")
def page():
    return app.response_class(PAGE, mimetype="text/html")
