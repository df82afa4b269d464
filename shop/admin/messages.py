"""Back office: the outbox. What is waiting, what failed and why, and sending a failed email again."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.admin import bp
from shop.clock import utcnow
from shop.errors import found_or_404
from shop.messages.models import STATUS_LABELS
from shop.messages.services import (KIND_LABELS, MessageError, MessageFilters, backlog, find_messages, get_message,
                                    kind_label, send_again)


@bp.get("/messages")
def messages():
    filters = MessageFilters.parse(request.args)
    found, total, page = find_messages(filters)
    return render_template("admin/messages.html", messages=found, total=total, page=page, filters=filters,
                           statuses=STATUS_LABELS, kinds=KIND_LABELS, kind_label=kind_label, backlog=backlog(utcnow()),
                           errors=filters.problems or None), 400 if filters.problems else 200


def _message_page(message_id, status=200, errors=None):
    return render_template("admin/message.html", message=found_or_404(get_message(message_id)), kind_label=kind_label,
                           errors=errors), status


@bp.get("/messages/<int:message_id>")
def message(message_id):
    return _message_page(message_id)


@bp.post("/messages/<int:message_id>/send-again", endpoint="send_again")
def send_again_view(message_id):
    found_or_404(get_message(message_id))
    try:
        queued = send_again(message_id, actor=current_user, now=utcnow())
    except MessageError as error:
        return _message_page(message_id, error.status, errors=[str(error)])
    flash(f"“{queued.subject}” to {queued.recipient} is queued again; the worker sends it within moments.", "info")
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/admin/messages") else url_for("admin.message", message_id=message_id), code=303)
