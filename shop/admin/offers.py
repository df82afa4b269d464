"""Discount codes in the back office: the list with what each code did, its CSV, and the code form."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from shop.admin import bp
from shop.admin.common import csv_response
from shop.catalog.backoffice import categories
from shop.catalog.models import Product
from shop.errors import found_or_404
from shop.extensions import db
from shop.offers.backoffice import CodeError, CodeFields, code_report, code_report_csv, save_code
from shop.offers.models import CODE_KINDS, CODE_SCOPES, DiscountCode


@bp.get("/codes")
def codes():
    return render_template("admin/codes.html", report=code_report())


@bp.get("/codes.csv")
def codes_export():
    return csv_response(code_report_csv(), "discount-codes.csv")


def _products() -> dict[int, Product]:
    return {p.id: p for p in db.session.scalars(select(Product).order_by(Product.name))}


def _page(code, fields, status=200, errors=None):
    return render_template("admin/code.html", code=code, fields=fields, errors=errors, kinds=CODE_KINDS,
                           scopes=CODE_SCOPES, categories=categories(), products=_products().values()), status


def _fields() -> CodeFields:
    f = request.form
    return CodeFields(
        code=f.get("code", "")[:60], kind=f.get("kind", ""), amount=f.get("amount", "")[:20],
        min_spend=f.get("min_spend", "")[:20], valid_from=f.get("valid_from", "")[:10], valid_until=f.get("valid_until", "")[:10],
        max_uses=f.get("max_uses", "")[:9], max_uses_per_customer=f.get("max_uses_per_customer", "")[:9],
        first_order_only="first_order_only" in f, scope=f.get("scope", ""), category_id=f.get("category_id", "")[:9],
        product_ids=[int(v) for v in f.getlist("product_ids") if v.isdigit() and len(v) < 10],
        applies_to_trade="applies_to_trade" in f, active="active" in f,
    )


@bp.route("/codes/new", methods=["GET", "POST"])
def new_code():
    if request.method == "GET":
        return _page(None, CodeFields())
    fields = _fields()
    try:
        code = save_code(None, fields, actor=current_user, products_by_id=_products())
    except CodeError as error:
        return _page(None, fields, 422, error.problems)
    flash(f"The code {code.code} is created.", "info")
    return redirect(url_for("admin.codes"), code=303)


@bp.route("/codes/<int:code_id>", methods=["GET", "POST"])
def edit_code(code_id):
    code = found_or_404(db.session.get(DiscountCode, code_id))
    if request.method == "GET":
        return _page(code, CodeFields.of(code))
    fields = _fields()
    try:
        save_code(code.id, fields, actor=current_user, products_by_id=_products())
    except CodeError as error:
        db.session.rollback()
        return _page(db.session.get(DiscountCode, code_id), fields, 422, error.problems)
    flash(f"The code {fields.code.strip().upper()} is saved.", "info")
    return redirect(url_for("admin.codes"), code=303)
