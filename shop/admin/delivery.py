"""Delivery methods and rates in the back office."""
import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.admin import bp
from shop.delivery.backoffice import DeliveryError, MethodFields, save_method, save_zone_postcodes
from shop.delivery.models import DeliveryMethod, DeliveryZone
from shop.delivery.services import all_zones
from shop.errors import found_or_404
from shop.extensions import db
from sqlalchemy import select

RATE_FIELD = re.compile(r"^rate-(\d{1,9})-(\d{1,9})$")
NEW_BAND_FIELD = re.compile(r"^new-(\d{1,9})$")


@bp.get("/delivery")
def delivery_methods(errors=None, typed=None, status=200):
    methods = db.session.scalars(select(DeliveryMethod).order_by(DeliveryMethod.position, DeliveryMethod.id)).all()
    return render_template("admin/delivery_methods.html", methods=methods, zones=all_zones(), errors=errors,
                           typed=typed or {}), status


@bp.post("/delivery/zones/<int:zone_id>")
def save_zone(zone_id):
    found_or_404(db.session.get(DeliveryZone, zone_id))
    text = request.form.get("postcodes", "")[:5000]
    try:
        zone = save_zone_postcodes(zone_id, text, actor=current_user)
    except DeliveryError as error:
        db.session.rollback()
        return delivery_methods(error.problems, {zone_id: text}, 422)
    flash(f"{zone.name}: {len(zone.postcodes)} postcode areas and districts saved.", "info")
    return redirect(url_for("admin.delivery_methods") + f"#zone-{zone_id}", code=303)


def _fields() -> MethodFields:
    f = request.form
    rates, new_band = {}, {}
    for key, value in f.items():
        if (m := RATE_FIELD.match(key)):
            rates[(int(m.group(1)), int(m.group(2)))] = value[:20]
        elif (m := NEW_BAND_FIELD.match(key)):
            new_band[int(m.group(1))] = value[:20]
    return MethodFields(name=f.get("name", ""), min_days=f.get("min_days", "")[:9], max_days=f.get("max_days", "")[:9],
                        free_over=f.get("free_over", "")[:20], min_weight_grams=f.get("min_weight_grams", "")[:9],
                        note=f.get("note", ""), active="active" in f, rates=rates,
                        new_band_grams=f.get("new_band_grams", "")[:9], new_band=new_band)


@bp.route("/delivery/<int:method_id>", methods=["GET", "POST"])
def edit_delivery_method(method_id):
    method = found_or_404(db.session.get(DeliveryMethod, method_id))
    if request.method == "GET":
        return _page(method, MethodFields.of(method))
    fields = _fields()
    try:
        save_method(method.id, fields, actor=current_user)
    except DeliveryError as error:
        return _page(method, fields, 422, error.problems)
    flash(f"{fields.name.strip()} is saved.", "info")
    return redirect(url_for("admin.edit_delivery_method", method_id=method_id), code=303)


def _page(method, fields, status=200, errors=None):
    bands = sorted({grams for _, grams in fields.rates})
    return render_template("admin/delivery_method.html", method=method, fields=fields, zones=all_zones(),
                           bands=bands, errors=errors), status
