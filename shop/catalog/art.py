"""Generated SVG product artwork (no photos), standard library only.

``product_svg(name, container, colour, tint, size_label=None)`` returns a small,
self-contained, deterministic SVG (viewBox 0 0 400 400) of the product's
container drawn in flat shapes with gentle gradients, with the product name on
a cream label.  All text is XML-escaped and colours are validated against
``#rgb`` / ``#rrggbb``, so the output is safe to inline with ``|safe``.
"""

from __future__ import annotations

import hashlib
import re
from xml.sax.saxutils import escape

__all__ = ["CONTAINERS", "DEFAULT_COLOUR", "DEFAULT_TINT", "product_svg"]

CONTAINERS = ("bottle", "pump", "jar", "tube", "tin")

DEFAULT_COLOUR = "#2f6f62"
DEFAULT_TINT = "#d9c9a8"

_HEX_RE = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# Characters that are not allowed in XML 1.0 documents.
_BAD_XML_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
_INK = "#2b2b2b"
_LABEL = "#fbf8f1"
_MAX_CHARS = 14  # per label line
_MAX_LINES = 3
_MAX_NAME = 80  # characters kept for <title> / aria-label


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
def _colour(value: object, default: str) -> str:
    """Return a normalised ``#rrggbb`` colour, or ``default`` if invalid."""
    if not isinstance(value, str) or not _HEX_RE.fullmatch(value.strip()):
        return default
    h = value.strip()[1:].lower()
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return "#" + h


def _mix(hex_colour: str, other: str, t: float) -> str:
    """Blend ``hex_colour`` towards ``other`` by ``t`` (0..1)."""
    a = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def _light(c: str, t: float) -> str:
    return _mix(c, "#ffffff", t)


def _dark(c: str, t: float) -> str:
    return _mix(c, "#000000", t)


def _clean(text: object) -> str:
    """Coerce to str, drop XML-illegal characters and collapse whitespace."""
    if text is None:
        return ""
    return " ".join(_BAD_XML_RE.sub("", str(text)).split())


def _em(text: str) -> float:
    """Rough rendered width of ``text`` in ems (bold sans; errs on the wide side)."""
    w = 0.0
    for ch in text:
        if ch in "ijlI.,:;'!|()[]":
            w += 0.36
        elif ch in " frt-/":
            w += 0.5
        elif ch in "mwMW%@":
            w += 1.0
        elif ch.isascii() and (ch.isupper() or ch.isdigit() or ch in "&<>"):
            w += 0.76
        elif ch.isascii():
            w += 0.68
        else:
            w += 1.0 if ord(ch) >= 0x2E80 else 0.76  # CJK is full-width
    return w


def _words(name: str) -> list[str]:
    words: list[str] = []
    for w in name.split():
        while len(w) > _MAX_CHARS:  # hard-split very long words
            words.append(w[:_MAX_CHARS])
            w = w[_MAX_CHARS:]
        words.append(w)
    return words


def _layouts(name: str) -> list[list[str]]:
    """Candidate line breaks: the best-balanced split into 1, 2 and 3 lines
    (each line at most ~14 characters), or a truncated greedy fallback."""
    words = _words(name)
    n = len(words)
    if not n:
        return [[""]]
    cands = []
    for k in range(1, min(_MAX_LINES, n) + 1):
        best = None
        for i in range(1, n) if k > 1 else [n]:
            for j in range(i + 1, n) if k > 2 else [n]:
                parts = [words[:i], words[i:j], words[j:]][:k] if k > 1 else [words]
                lines = [" ".join(p) for p in parts]
                if max(len(x) for x in lines) > _MAX_CHARS:
                    continue
                score = max(_em(x) for x in lines)
                if best is None or score < best[0]:
                    best = (score, lines)
        if best:
            cands.append(best[1])
    if cands:
        return cands
    lines: list[str] = []  # greedy fill, last line truncated with an ellipsis
    for w in words:
        if lines and len(lines[-1]) + 1 + len(w) <= _MAX_CHARS:
            lines[-1] += " " + w
        else:
            lines.append(w)
    rest = " ".join(lines[_MAX_LINES - 1:])
    return [lines[:_MAX_LINES - 1] + [rest[:_MAX_CHARS - 1].rstrip() + "\u2026"]]


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _label(x: float, y: float, w: float, h: float, name: str, size: str,
           accent: str, shape: str = "rect") -> str:
    """Cream label with an accent rule, the wrapped name and optional size."""
    if shape == "ellipse":
        out = (f'<ellipse cx="{_num(x + w / 2)}" cy="{_num(y + h / 2)}" rx="{_num(w / 2)}" '
               f'ry="{_num(h / 2)}" fill="{_LABEL}" stroke="{accent}" stroke-width="2"/>')
        tw, th, top0 = w * 0.7, h * 0.72, y + h * 0.14
    else:
        out = (f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}" '
               f'rx="5" fill="{_LABEL}"/>'
               f'<rect x="{_num(x)}" y="{_num(y + 8)}" width="{_num(w)}" height="4" fill="{accent}"/>')
        tw, th, top0 = w - 12, h - 26, y + 18
    ss = 0.0
    if size:  # size line: ~0.7 of the name, readable, and must fit the width
        ss = min(15.0, tw / (_em(size) * 0.92))
    best = None
    for lines in _layouts(name):
        fs = min(26.0, tw / (max(_em(s) for s in lines) or 1))
        if size:  # name block + size line (0.7 x name size, at least 11) fit th
            fh = th / (len(lines) * 1.2 + 1.12)
            if fh * 0.7 < 11.0:
                fh = (th - 17.6) / (len(lines) * 1.2)
            fs = min(fs, fh)
        else:
            fs = min(fs, th / (len(lines) * 1.2))
        if best is None or fs > best[0] + 0.5:  # prefer fewer lines on near ties
            best = (fs, lines)
    fs, lines = best
    if size:
        ss = min(ss, max(11.0, fs * 0.7))
    block = len(lines) * fs * 1.2 + (ss * 1.6 if size else 0)
    cx = _num(x + w / 2)
    top = top0 + max(0.0, th - block) / 2
    out += f'<g font-family="{_FONT}" fill="{_INK}" text-anchor="middle">'
    out += f'<text font-size="{_num(fs)}" font-weight="600">'
    for i, line in enumerate(lines):
        yy = _num(top + fs * (0.92 + i * 1.2))
        out += f'<tspan x="{cx}" y="{yy}">{escape(line)}</tspan>'
    out += "</text>"
    if size:
        yy = _num(top + len(lines) * fs * 1.2 + ss * 1.35)
        out += f'<text x="{cx}" y="{yy}" font-size="{_num(ss)}">{escape(size)}</text>'
    return out + "</g>"


def _grad(gid: str, c: str) -> str:
    """Horizontal cylinder shading: darker edges, lighter left-of-centre."""
    return (f'<linearGradient id="{gid}" x1="0" x2="1" y1="0" y2="0">'
            f'<stop offset="0" stop-color="{_dark(c, .14)}"/>'
            f'<stop offset=".35" stop-color="{_light(c, .22)}"/>'
            f'<stop offset="1" stop-color="{_dark(c, .2)}"/></linearGradient>')


# --------------------------------------------------------------------------- #
# containers: each returns (svg shapes, shadow half-width)
# --------------------------------------------------------------------------- #
def _bottle(name, size, c, t, body, cap):
    glass = _light(t, .55)
    edge = _dark(t, .35)
    s = (f'<path d="M144 340Q128 340 128 324V192Q128 158 168 148L180 144V120H220V144L232 148'
         f'Q272 158 272 192V324Q272 340 256 340Z" fill="{glass}" stroke="{edge}" stroke-width="2"/>'
         f'<rect x="131" y="180" width="138" height="157" rx="14" fill="url(#{body})"/>'
         f'<rect x="175" y="112" width="50" height="12" rx="3" fill="{_dark(c, .25)}"/>'
         f'<rect x="170" y="66" width="60" height="50" rx="8" fill="url(#{cap})"/>'
         f'<rect x="138" y="192" width="7" height="134" rx="3.5" fill="#fff" opacity=".3"/>')
    return s + _label(140, 200, 120, 126, name, size, c), 80


def _pump(name, size, c, t, body, cap):
    glass = _light(t, .55)
    edge = _dark(t, .35)
    s = (f'<path d="M148 340Q132 340 132 324V198Q132 170 166 162L180 158V146H220V158L234 162'
         f'Q268 170 268 198V324Q268 340 252 340Z" fill="{glass}" stroke="{edge}" stroke-width="2"/>'
         f'<rect x="135" y="190" width="130" height="147" rx="13" fill="url(#{body})"/>'
         f'<rect x="194" y="94" width="12" height="40" fill="{_dark(c, .2)}"/>'
         f'<rect x="174" y="128" width="52" height="24" rx="4" fill="url(#{cap})"/>'
         f'<rect x="170" y="80" width="60" height="18" rx="3" fill="url(#{cap})"/>'
         f'<path d="M226 82H268Q278 82 278 92V104H266V96H226Z" fill="{_dark(c, .12)}"/>'
         f'<rect x="142" y="200" width="7" height="124" rx="3.5" fill="#fff" opacity=".3"/>')
    return s + _label(144, 204, 112, 122, name, size, c), 76


def _jar(name, size, c, t, body, cap):
    s = (f'<rect x="92" y="184" width="216" height="156" rx="22" fill="url(#{body})" '
         f'stroke="{_dark(t, .3)}" stroke-width="2"/>'
         f'<rect x="97" y="178" width="206" height="10" fill="{_dark(t, .25)}"/>'
         f'<rect x="86" y="130" width="228" height="52" rx="10" fill="url(#{cap})"/>'
         f'<path d="M86 144H314M86 168H314" stroke="{_dark(c, .2)}" stroke-width="2"/>'
         f'<rect x="101" y="200" width="8" height="124" rx="4" fill="#fff" opacity=".3"/>')
    return s + _label(116, 200, 168, 124, name, size, c), 118


def _tube(name, size, c, t, body, cap):
    s = (f'<path d="M124 86H276L268 270Q266 284 244 292H156Q134 284 132 270Z" '
         f'fill="url(#{body})" stroke="{_dark(t, .3)}" stroke-width="2"/>'
         f'<rect x="118" y="58" width="164" height="30" rx="3" fill="{_dark(t, .12)}"/>'
         f'<path d="{"".join(f"M{x} 62V84" for x in range(128, 282, 12))}" '
         f'stroke="{_dark(t, .28)}" stroke-width="1.5"/>'
         f'<rect x="160" y="290" width="80" height="50" rx="6" fill="url(#{cap})"/>'
         f'<rect x="160" y="290" width="80" height="6" fill="{_dark(c, .2)}"/>'
         f'<rect x="138" y="102" width="7" height="160" rx="3.5" fill="#fff" opacity=".3"/>')
    return s + _label(142, 114, 116, 150, name, size, c), 80


def _tin(name, size, c, t, body, cap):
    # Base (tint), lid band (colour) and lid top seen from slightly above.
    s = (f'<path d="M58 246V288A142 50 0 0 0 342 288V246Z" fill="url(#{body})"/>'
         f'<path d="M52 200V246A148 52 0 0 0 348 246V200Z" fill="url(#{cap})"/>'
         f'<ellipse cx="200" cy="200" rx="148" ry="58" fill="{_light(c, .18)}" '
         f'stroke="{_dark(c, .18)}" stroke-width="2"/>')
    return s + _label(78, 154, 244, 92, name, size, c, "ellipse"), 146


_DRAW = {"bottle": _bottle, "pump": _pump, "jar": _jar, "tube": _tube, "tin": _tin}


# --------------------------------------------------------------------------- #
# public API
# --------------------------------------------------------------------------- #
def product_svg(name: str, container: str, colour: str, tint: str,
                size_label: str | None = None) -> str:
    """An SVG picture of the product's container in its colours, with its name on the label.

    ``container`` is one of :data:`CONTAINERS` (anything else draws a bottle);
    ``colour`` is the cap/label accent and ``tint`` the body/liquid colour, both
    ``#rgb``/``#rrggbb`` (invalid values fall back to defaults).  The result is
    deterministic, well-formed XML under 4 KB, safe to inline in HTML.
    """
    name = _clean(name)
    size = _clean(size_label)[:24]
    kind = container if container in _DRAW else "bottle"
    c = _colour(colour, DEFAULT_COLOUR)
    t = _colour(tint, DEFAULT_TINT)
    key = "\x1f".join((name, kind, c, t, size)).encode("utf-8")
    uid = hashlib.sha1(key).hexdigest()[:8]
    body, cap = f"pb{uid}", f"pc{uid}"
    shapes, half = _DRAW[kind](name, size, c, t, body, cap)
    short = name if len(name) <= _MAX_NAME else name[:_MAX_NAME - 1].rstrip() + "\u2026"
    short = short or "Product"
    title = escape(short, {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" '
        f'height="400" role="img" aria-label="{title}"><title>{title}</title>'
        f'<defs>{_grad(body, t)}{_grad(cap, c)}</defs>'
        f'<rect width="400" height="400" rx="28" fill="#f3eee6"/>'
        f'<ellipse cx="200" cy="342" rx="{half + 12}" ry="11" fill="#5a4a32" opacity=".1"/>'
        f"{shapes}</svg>"
    )
