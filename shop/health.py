from flask import Blueprint, jsonify
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from shop.catalog.models import Product
from shop.clock import utcnow
from shop.extensions import db
from shop.messages.services import backlog

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    # Read a real table, as every page does: `SELECT 1` never touches SQLite's file, so it
    # answered "ok" while a locked database failed every page (and it would miss a missing schema).
    try:
        db.session.execute(select(Product.id).limit(1))
        waiting = backlog(utcnow())
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    # Still 200 with a backlog: the shop serves. Monitoring alerts on the age, which only grows
    # when no worker is delivering (a healthy one keeps it to seconds).
    return jsonify(status="ok", database="ok", messages={"due": waiting.due, "oldest_due_seconds": waiting.oldest_due_seconds})
