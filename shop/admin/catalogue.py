from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.admin import bp
from shop.admin.common import csv_response, page_arg
from shop.catalog.backoffice import catalogue_csv, categories, find_products, flags
from shop.inventory.catalogue_import import ImportRefused, MAX_BYTES, apply_import, plan_import
from shop.catalog.editing import (
    CONTAINERS,
    MAX_IMAGE_BYTES,
    CatalogueError,
    ProductFields,
    VariantFields,
    save_image,
    save_product,
    save_variant,
    set_published,
)
from shop.catalog.models import Product
from shop.errors import found_or_404
from shop.extensions import db
from shop.guides.services import every_guide
from shop.money import pounds_text
from shop.problems import Problem

# A size's fields and the start of their input ids in its form (the id ends with the size's id, or "new").
SIZE_INPUTS = {"sku": "sku", "size_label": "size", "amount": "amount", "unit": "unit", "price": "price",
               "trade_price": "trade", "low_stock_threshold": "low", "shipping_weight_grams": "weight",
               "case_quantity": "case", "price_breaks": "breaks"}
BREAK_ROWS = 4  # at least this many volume price rows in a size's form (empty ones are ignored)
MAX_BREAK_ROWS = 10


def break_rows(variant, form, mine: bool) -> list[tuple[str, str]]:
    """The volume price rows a size's form shows: as typed when it came back with errors, else as saved, then empty rows."""
    if mine:
        rows = list(zip(form.getlist("break_quantity"), form.getlist("break_price")))[:MAX_BREAK_ROWS]
    else:
        rows = [(str(b.min_quantity), pounds_text(b.unit_price_pence)) for b in variant.price_breaks] if variant else []
    return rows + [("", "")] * max(BREAK_ROWS - len(rows), 1 if len(rows) < MAX_BREAK_ROWS else 0)


def image_folder() -> Path:
    return Path(current_app.config.get("PRODUCT_IMAGE_DIR") or Path(current_app.instance_path) / "product-images")


@bp.get("/products")
def products():
    q = request.args.get("q", "").strip()[:100]
    listing = find_products(q, page=page_arg())
    return render_template("admin/products.html", products=listing.products, listing=listing, q=q)


def _form_page(product, fields, status=200, errors=None, variant_errors=None):
    return render_template(
        "admin/product.html", product=product, fields=fields, errors=errors, variant_errors=variant_errors,
        categories=categories(), flags=flags(), guides=every_guide(),
        containers=CONTAINERS, pounds_text=pounds_text, break_rows=break_rows, max_image_mb=MAX_IMAGE_BYTES // (1024 * 1024),
    ), status


def _ids(name) -> list[int]:
    return [int(v) for v in request.form.getlist(name) if v.isdigit()]


def _fields_from_form() -> ProductFields:
    f = request.form
    category = f.get("category_id", "")
    return ProductFields(
        name=f.get("name", ""), slug=f.get("slug", ""), category_id=int(category) if category.isdigit() else None,
        summary=f.get("summary", ""), description=f.get("description", ""), how_to_use=f.get("how_to_use", ""),
        ingredients=f.get("ingredients", ""), cautions=f.get("cautions", ""),
        for_home_care="for_home_care" in f, for_practice="for_practice" in f, featured="featured" in f,
        published="published" in f, container=f.get("container", ""), colour=f.get("colour", ""), tint=f.get("tint", ""),
        flag_ids=_ids("flag_ids"), guide_ids=_ids("guide_ids"),
    )


def _product_or_404(product_id) -> Product:
    return found_or_404(db.session.get(Product, product_id))


@bp.route("/products/new", methods=["GET", "POST"])
def new_product():
    if request.method == "GET":
        return _form_page(None, ProductFields())
    fields = _fields_from_form()
    try:
        product = save_product(None, fields, actor=current_user)
    except CatalogueError as error:
        return _form_page(None, fields, 422, errors=error.problems)
    flash(f"{product.name} is created, unpublished. Add its sizes, then publish it.", "info")
    return redirect(url_for("admin.edit_product", product_id=product.id), code=303)


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
def edit_product(product_id):
    product = _product_or_404(product_id)
    if request.method == "GET":
        return _form_page(product, ProductFields.of(product))
    fields = _fields_from_form()
    try:
        save_product(product.id, fields, actor=current_user)
    except CatalogueError as error:
        return _form_page(_product_or_404(product_id), fields, 422, errors=error.problems)
    flash(f"{fields.name} is saved.", "info")
    return redirect(url_for("admin.edit_product", product_id=product_id), code=303)


@bp.post("/products/<int:product_id>/publish")
def publish_product(product_id):
    product = _product_or_404(product_id)
    publish = request.form.get("published") == "1"
    try:
        set_published(product.id, publish, actor=current_user)
    except CatalogueError as error:
        return _form_page(_product_or_404(product_id), ProductFields.of(product), 409, errors=error.problems)
    flash(f"{product.name} is {'published' if publish else 'hidden from the shop'}.", "info")
    return redirect(url_for("admin.edit_product", product_id=product_id), code=303)


@bp.post("/products/<int:product_id>/variants")
def add_size(product_id):
    return save_size(product_id, None)


@bp.post("/products/<int:product_id>/variants/<int:variant_id>")
def save_size(product_id, variant_id):
    product = _product_or_404(product_id)
    f = request.form
    fields = VariantFields(sku=f.get("sku", ""), size_label=f.get("size_label", ""), amount=f.get("amount", ""),
                           unit=f.get("unit", ""), price=f.get("price", ""), trade_price=f.get("trade_price", ""),
                           low_stock_threshold=f.get("low_stock_threshold", ""), is_professional="is_professional" in f,
                           shipping_weight_grams=f.get("shipping_weight_grams", "")[:9],
                           case_quantity=f.get("case_quantity", "")[:9],
                           price_breaks=[(q[:10], p[:20]) for q, p in
                                         list(zip(f.getlist("break_quantity"), f.getlist("break_price")))[:MAX_BREAK_ROWS]])
    try:
        variant = save_variant(product.id, variant_id, fields, actor=current_user)
    except CatalogueError as error:
        # The summary at the top links to the input in this size's own form.
        key = variant_id or "new"
        errors = [Problem(p, f"{SIZE_INPUTS[p.field]}-{key}" if getattr(p, "field", "") in SIZE_INPUTS else "")
                  for p in error.problems]
        return _form_page(_product_or_404(product_id), ProductFields.of(product), 422, errors=errors,
                          variant_errors={"id": variant_id, "form": f})
    flash(f"Size {variant.sku} is saved.", "info")
    return redirect(url_for("admin.edit_product", product_id=product_id) + f"#variant-{variant.id}", code=303)


@bp.post("/products/<int:product_id>/image")
def upload_image(product_id):
    product = _product_or_404(product_id)
    upload = request.files.get("image")
    data = upload.stream.read(MAX_IMAGE_BYTES + 1) if upload else b""
    try:
        save_image(product.id, data, image_folder(), actor=current_user)
    except CatalogueError as error:
        return _form_page(_product_or_404(product_id), ProductFields.of(product), 422, errors=error.problems)
    flash(f"The photo of {product.name} is saved.", "info")
    return redirect(url_for("admin.edit_product", product_id=product_id), code=303)


@bp.route("/catalogue/import", methods=["GET", "POST"])
def import_catalogue():
    if request.method == "GET":
        return render_template("admin/import.html", plan=None, refused=None, applied=False)
    upload = request.files.get("file")
    data = upload.stream.read(MAX_BYTES + 1) if upload else b""
    filename = (upload.filename if upload else "") or "upload.csv"
    try:
        if not data:
            raise ImportRefused("Choose a CSV file to import.")
        dry_run = request.form.get("mode") != "apply"
        plan = plan_import(data) if dry_run else apply_import(data, filename, actor=current_user)
    except ImportRefused as error:
        return render_template("admin/import.html", plan=None, refused=str(error), applied=False,
                               errors=[Problem(str(error), "file")], error_title="Nothing was imported"), 422
    status = 200 if plan.ok else 422
    problems = len(plan.errors)
    return render_template("admin/import.html", plan=plan, refused=None, applied=plan.ok and not dry_run,
                           errors=plan.errors or None,
                           error_title=f"Nothing was imported: {problems} problem{'s' if problems != 1 else ''}"), status


@bp.get("/catalogue.csv")
def export_catalogue():
    return csv_response(catalogue_csv(), "catalogue.csv")
