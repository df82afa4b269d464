"""CSV import of products, sizes, prices and stock: checked as a whole, written all or nothing.

It lives with inventory, above the catalogue, because it receives stock as well as editing sizes.

Columns (a header row names them; order does not matter):
    sku, product_slug, product_name, category, size_label, amount, unit, price, trade_price,
    low_stock_threshold, add_stock, lot, expires, pao_months
A known SKU updates that size (and `add_stock` units are received into stock); a new SKU adds
a size to the product `product_slug`, creating that product (unpublished, in `category`) when
it does not exist. Stock is only ever added, as a delivery: never typed over, and always into
the lot the row names (`lot`, with its `expires` date or, for a product that keeps over 30
months, its `pao_months`).
"""
import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.audit.services import record_audit
from shop.catalog.backoffice import COLUMNS
from shop.catalog.editing import SLUG, VariantFields, parse_variant
from shop.catalog.volume import check_breaks
from shop.catalog.models import Category, Product, Variant
from shop.extensions import db
from shop.inventory.lot_input import read_lot
from shop.inventory.lots import today
from shop.inventory.services import receive_lot
from shop.money import format_money

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
REQUIRED = ("sku", "product_slug", "size_label", "amount", "unit", "price")


class ImportRefused(ValueError):
    """The file as a whole cannot be read (too big, not UTF-8, no header): one message."""


@dataclass
class ImportPlan:
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"The file is {len(data) / 1024 / 1024:.1f} MB; the most we import at once is 1 MB "
                            f"({MAX_ROWS:,} rows). Split it into smaller files.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(f"The file is not UTF-8 text (a byte at position {error.start} cannot be read). "
                            "Save it as “CSV UTF-8” and try again.") from None
    if "\x00" in text:
        raise ImportRefused("The file is not a CSV text file.")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused(f"The first row must name the columns; missing: {', '.join(missing)}.")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ImportRefused(f"Unknown columns: {', '.join(unknown[:5])}. The columns are: {', '.join(COLUMNS)}.")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise ImportRefused(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")
        if None in row:
            rows.append((reader.line_num, {"__extra__": True}))
            continue
        if not any((v or "").strip() for v in row.values()):
            continue
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    if not rows:
        raise ImportRefused("The file has no rows to import.")
    return rows


def plan_import(data: bytes) -> ImportPlan:
    """Check every row; describe what would change. Writes nothing."""
    plan = ImportPlan()
    rows = read_rows(data)
    skus = {r.get("sku", "").upper() for _, r in rows}
    existing = {v.sku: v for v in db.session.scalars(select(Variant).where(Variant.sku.in_(skus))
                                                          .options(selectinload(Variant.price_breaks)))}
    products = {p.slug: p for p in db.session.scalars(select(Product).where(Product.slug.in_({r.get("product_slug", "") for _, r in rows})))}
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    seen: dict[str, int] = {}
    new_products: dict[str, dict] = {}
    for line, row in rows:
        label = f"Line {line}: "
        if row.get("__extra__"):
            plan.errors.append(f"{label}more values than there are columns.")
            continue
        sku = row.get("sku", "").upper()
        if sku in seen:
            plan.errors.append(f"{label}SKU {sku} is also on line {seen[sku]}; each SKU may appear once.")
            continue
        seen[sku] = line
        variant = existing.get(sku)
        values, problems = parse_variant(VariantFields(
            sku=sku, size_label=row.get("size_label", ""), amount=row.get("amount", ""), unit=row.get("unit", ""),
            price=row.get("price", ""), trade_price=row.get("trade_price", ""),
            low_stock_threshold=row.get("low_stock_threshold") or (str(variant.low_stock_threshold) if variant else "5"),
            is_professional=False,
        ), variant.id if variant else None, label)
        if variant is not None and variant.price_breaks and not problems:
            # The CSV has no volume price columns: the breaks stay, so the new prices must still sit above them.
            problems += check_breaks([(b.min_quantity, b.unit_price_pence) for b in variant.price_breaks],
                                     trade_pence=values.get("trade_price_pence") or values["price_pence"],
                                     case_quantity=variant.case_quantity, label=label)
        add = row.get("add_stock", "")
        lot = None
        if add and (not add.isdigit() or int(add) > 100_000):
            problems.append(f"{label}add_stock must be a whole number of units from 0 to 100,000.")
        elif add and int(add) > 0:
            lot, wrong = read_lot(f"Line {line}", row.get("lot", ""), row.get("expires", ""), "", row.get("pao_months", ""),
                                  on=today())
            problems += wrong
        slug = row.get("product_slug", "").lower()
        product = products.get(slug)
        if variant is not None and variant.product.slug != slug:
            problems.append(f"{label}SKU {sku} belongs to {variant.product.slug}, not {slug}.")
        elif product is None and variant is None:
            if not SLUG.match(slug):
                problems.append(f"{label}product_slug must be lower-case letters, digits and hyphens.")
            elif slug not in new_products:
                if not row.get("product_name") or len(row["product_name"]) > 120:
                    problems.append(f"{label}a new product needs product_name (at most 120 characters).")
                if row.get("category") not in categories:
                    problems.append(f"{label}a new product needs a category, one of: {', '.join(sorted(categories))}.")
                new_products[slug] = {"name": row.get("product_name", ""), "category": row.get("category", "")}
                plan.changes.append(f"New product {row.get('product_name')} ({slug}), unpublished")
        if problems:
            plan.errors += problems
            continue
        values["is_professional"] = values["amount"] >= 500 if variant is None else variant.is_professional
        plan.rows.append({"line": line, "sku": sku, "slug": slug, "values": values, "add": int(add or 0), "lot": lot})
        if variant is None:
            plan.changes.append(f"New size {sku} ({values['size_label']}) at {format_money(values['price_pence'])}")
        else:
            for key, new in values.items():
                old = getattr(variant, key)
                if old != new and key != "sku":
                    shown = (lambda p: format_money(p) if p is not None else "none") if key.endswith("pence") else str
                    plan.changes.append(f"{sku}: {key.replace('_pence', '').replace('_', ' ')} {shown(old)} → {shown(new)}")
        if add and add != "0":
            plan.changes.append(f"{sku}: receive {add} units into lot {lot.code}" if lot else f"{sku}: receive {add} units")
    plan.new_products = new_products
    plan.categories = categories
    return plan


def apply_import(data: bytes, filename: str, *, actor) -> ImportPlan:
    """Write the whole file, or nothing: raises nothing for bad rows, returns the plan with its errors."""
    plan = plan_import(data)
    if not plan.ok:
        return plan
    try:
        products = {p.slug: p for p in db.session.scalars(select(Product).where(Product.slug.in_({r["slug"] for r in plan.rows})))}
        for slug, new in plan.new_products.items():
            products[slug] = Product(slug=slug, name=new["name"], category=plan.categories[new["category"]], published=False)
            db.session.add(products[slug])
        db.session.flush()
        for row in plan.rows:
            variant = db.session.scalar(select(Variant).where(Variant.sku == row["sku"]))
            if variant is None:
                variant = Variant(product_id=products[row["slug"]].id, stock_on_hand=0)
                db.session.add(variant)
            for key, value in row["values"].items():
                setattr(variant, key, value)
            db.session.flush()
            if row["add"]:
                _, wrong = receive_lot(variant, row["lot"], row["add"], supplier="", delivery_ref=f"CSV {filename[:60]}",
                                       on=today(), user_id=actor.id, note=f"CSV import {filename[:60]}, lot {row['lot'].code}")
                if wrong:  # the lot is recorded with other dates, or is off sale: nothing is imported
                    db.session.rollback()
                    plan.errors.append(f"Line {row['line']}: {wrong}")
                    return plan
        record_audit(actor, "catalogue.import", ("csv", filename[:60]), {}, {"changes": plan.changes[:200]},
                     summary=f"imported {len(plan.rows)} rows from {filename[:60]}")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return plan
