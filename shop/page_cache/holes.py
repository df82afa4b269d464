"""Holes: what differs between visitors of one cached page, filled in on every request.

A page rendered for the cache writes a marker wherever a hole goes (the CSRF token, the cart's
count and its spoken label); the stored bytes keep the markers and each request replaces them
with its own values. Markers are per deploy and secret (an HMAC of SECRET_KEY and the release),
so every app server of one release fills the others' pages, and they are wrapped in a
private-use character that no text from the database can carry through a template: every
`{{ ... }}` output passes `strip_markers` (Jinja's finalize), which drops that character from
plain text (everything read from the database reaches a template as plain text). Markup is let
through, since it is the output of a template or macro (holes included) or HTML we made, and the
one Markup made from stored text, rendered guide markdown, strips the character itself
(shop/guides/rendering.py). Content can therefore never inject a marker, nor break one.
"""
import hashlib
import hmac

from flask import g
from markupsafe import Markup, escape

MARK = "\ue000"  # Unicode private use: never in real text
MARK_BYTES = MARK.encode()


class Hole(Markup):
    """A marker, let through by strip_markers."""


def strip_markers(value):
    """Jinja finalize: printed plain text loses the marker character (Markup, holes included, is kept)."""
    if isinstance(value, str) and not isinstance(value, Markup) and MARK in value:
        return value.replace(MARK, "")
    return value


def without_markers(text: str) -> str:
    return text.replace(MARK, "")


class Holes:
    def __init__(self, secret_key: str, release: str):
        self.secret = hmac.new(secret_key.encode(), f"page-cache-holes:{release}".encode(), hashlib.sha256).hexdigest()[:20]
        self._markers: dict[str, Hole] = {}
        self._fillers: dict[str, object] = {}

    def define(self, name: str, fill) -> None:
        """`fill()` gives this request's value; it runs only when a page shows the hole."""
        self._markers[name] = Hole(f"{MARK}{self.secret}-{name}{MARK}")
        self._fillers[name] = fill
        self._names = {m.encode().strip(MARK_BYTES): n for n, m in self._markers.items()}

    def value(self, name: str):
        """What a template prints: the marker while rendering for the cache, else the real value."""
        if g.get("page_holes"):
            return self._markers[name]
        return self._fillers[name]()

    def fill(self, body: bytes) -> tuple[bytes, str]:
        """The body with every hole filled, in one pass over it; each value worked out once. And
        the values filled in, which with the stored page's key say what these bytes are (its ETag).

        The marker character is in stored bytes only around a marker (strip_markers), so the
        pieces between them alternate: text, a marker's inside, text, ...
        """
        pieces = body.split(MARK_BYTES)
        if len(pieces) == 1:
            return body, ""
        values: dict[bytes, bytes] = {}
        for i in range(1, len(pieces), 2):
            inside = pieces[i]
            value = values.get(inside)
            if value is None:
                name = self._names.get(inside)
                # Not one of ours (cannot happen, see above): left as it was rather than guessed at.
                value = values[inside] = (MARK_BYTES + inside + MARK_BYTES if name is None
                                          else str(escape(self._fillers[name]())).encode())
            pieces[i] = value
        return b"".join(pieces), repr(tuple(values.values()))

    def rendering(self):
        return _Rendering()


class _Rendering:
    """While a page renders for the cache: holes print markers, and whatever makes it personal is noted."""

    def __enter__(self):
        g.page_holes = True
        g.page_personal = False
        return self

    def __exit__(self, *exc):
        g.page_holes = False
        return False


def mark_personal() -> None:
    """Called by anything a page shows that belongs to one visitor: that rendering is not stored."""
    g.page_personal = True
