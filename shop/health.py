from flask import Blueprint, jsonify
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from shop.catalog.models import Product
from shop.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    # Read a real table, as every page does: `SELECT 1` never touches SQLite's file, so it
    # answered "ok" while a locked database failed every page (and it would miss a missing schema).
    try:
        db.session.execute(select(Product.id).limit(1))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
