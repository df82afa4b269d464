"""Small helpers the back office views share."""
import secrets

from flask import Response, render_template, request


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


def csv_response(text: str, filename: str) -> Response:
    # A BOM so spreadsheet programs read the UTF-8 (names with accents, £) correctly.
    return Response("\ufeff" + text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def int_arg(name: str, default: int | None = None) -> int | None:
    raw = request.values.get(name, "")
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default
