"""Small helpers the back office views share."""
import secrets
from collections.abc import Iterable
from itertools import chain

from flask import Response, render_template, request, stream_with_context


def confirm_page(question: str, action: str, *, details: list[str] | None = None, button: str = "Confirm",
                 back: str | None = None, danger: bool = True):
    """The confirmation step of a destructive POST: the same fields again, plus confirm=yes."""
    fields = [(k, v) for k, values in request.form.lists() for v in values if k not in ("csrf_token", "confirm")]
    return render_template("admin/confirm.html", question=question, action=action, details=details or [],
                           fields=fields, button=button, back=back or request.referrer, danger=danger)


def confirmed() -> bool:
    return request.form.get("confirm") == "yes"


def new_attempt() -> str:
    return secrets.token_urlsafe(18)


def csv_response(lines: str | Iterable[str], filename: str) -> Response:
    """A CSV download; lines from a generator are streamed as they come (first byte at once, memory flat)."""
    # A BOM so spreadsheet programs read the UTF-8 (names with accents, £) correctly.
    if isinstance(lines, str):
        body = "\ufeff" + lines
    else:
        body = stream_with_context(chain(["\ufeff"], lines))
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def page_arg() -> int:
    """The `page` asked for: a bad or missing number is page 1 (a page past the end is the service's to clamp)."""
    page = int_arg("page", 1)
    return page if 1 <= page <= 1_000_000 else 1


def int_arg(name: str, default: int | None = None) -> int | None:
    raw = request.values.get(name, "")
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default
