"""Changing the catalogue from the back office: products, sizes, flags, guides, photos.

Each function validates everything first and raises CatalogueError with every problem; it
writes the change and its audit entry in one transaction and commits. Stock never changes
here: new sizes start at 0 and are stocked by receiving a delivery.
"""
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from shop.audit.services import record_audit
from shop.catalog.models import Category, Flag, PriceBreak, Product, Variant
from shop.catalog.volume import check_breaks, parse_breaks, parse_case_quantity
from shop.extensions import db
from shop.money import parse_pounds
from shop.problems import Problem

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
CONTAINERS = ("bottle", "pump", "jar", "tube", "tin")
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"RIFF": "webp"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024


class CatalogueError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")[:120]


@dataclass
class ProductFields:
    name: str = ""
    slug: str = ""
    category_id: int | None = None
    summary: str = ""
    description: str = ""
    how_to_use: str = ""
    ingredients: str = ""
    cautions: str = ""
    for_home_care: bool = True
    for_practice: bool = False
    featured: bool = False
    published: bool = False
    container: str = "bottle"
    colour: str = "#2f6f62"
    tint: str = "#d9c9a8"
    flag_ids: list[int] = field(default_factory=list)
    guide_ids: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, product: Product) -> "ProductFields":
        names = [f for f in cls.__dataclass_fields__ if f not in ("flag_ids", "guide_ids")]
        return cls(**{n: getattr(product, n) for n in names}, flag_ids=[f.id for f in product.flags],
                   guide_ids=[g.id for g in product.guides])


def _snapshot(product: Product) -> dict:
    """The product as the audit log names it: the category, flags and guides by name, not by id."""
    fields = {k: v for k, v in vars(ProductFields.of(product)).items() if k not in ("category_id", "flag_ids", "guide_ids")}
    category = db.session.get(Category, product.category_id) if product.category_id else None
    return {**fields, "category": category.name if category else None,
            "flags": sorted(f.name for f in product.flags), "guides": sorted(g.title for g in product.guides)}


def _check_product(fields: ProductFields, product_id: int | None) -> list[str]:
    problems = []
    fields.name = (fields.name or "").strip()
    fields.slug = (fields.slug or "").strip().lower() or slugify(fields.name)
    if not fields.name or len(fields.name) > 120:
        problems.append(Problem("Enter the product's name (at most 120 characters).", "name"))
    if not SLUG.match(fields.slug) or len(fields.slug) > 120:
        problems.append(Problem("The address name (slug) may use only lower-case letters, digits and single hyphens.", "slug"))
    elif db.session.scalar(select(Product.id).where(Product.slug == fields.slug, Product.id != (product_id or 0))):
        problems.append(Problem(f"Another product already uses the address /products/{fields.slug}.", "slug"))
    if fields.category_id is None or db.session.get(Category, fields.category_id) is None:
        problems.append(Problem("Choose a category.", "category_id"))
    if len(fields.summary or "") > 200:
        problems.append(Problem("Keep the summary under 200 characters.", "summary"))
    if fields.container not in CONTAINERS:
        problems.append(Problem("Choose a container from the list.", "container"))
    for name in ("colour", "tint"):
        if not COLOUR.match(getattr(fields, name) or ""):
            problems.append(Problem(f"The {name} must be a colour like #2f6f62.", name))
    return problems


def save_product(product_id: int | None, fields: ProductFields, *, actor) -> Product:
    """Create (product_id None) or update a product, with its flags and linked guides."""
    # The class behind Product.guides: the guides package builds on this one, so it is not imported.
    Guide = Product.guides.property.mapper.class_  # noqa: N806

    product = db.session.get(Product, product_id) if product_id else None
    if product_id and product is None:
        raise CatalogueError(["That product no longer exists."])
    problems = _check_product(fields, product_id)
    flags = list(db.session.scalars(select(Flag).where(Flag.id.in_(fields.flag_ids or [0]))))
    guides = list(db.session.scalars(select(Guide).where(Guide.id.in_(fields.guide_ids or [0]))))
    if len(flags) != len(set(fields.flag_ids)) or len(guides) != len(set(fields.guide_ids)):
        problems.append("Choose flags and guides from the lists.")
    if problems:
        raise CatalogueError(problems)
    before = _snapshot(product) if product else {}
    if product is None:
        product = Product(published=False)
        db.session.add(product)
    for name in ("name", "slug", "category_id", "summary", "description", "how_to_use", "ingredients", "cautions",
                 "for_home_care", "for_practice", "featured", "published", "container", "colour", "tint"):
        value = getattr(fields, name)
        setattr(product, name, value.strip() if isinstance(value, str) and name not in ("slug",) else value)
    product.flags = flags
    product.guides = guides
    db.session.flush()
    record_audit(actor, "product.update" if before else "product.create", product, before, _snapshot(product),
                 summary=f"{'edited' if before else 'created'} {product.name}")
    db.session.commit()
    return product


def set_published(product_id: int, published: bool, *, actor) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise CatalogueError(["That product no longer exists."])
    if published and not product.variants:
        raise CatalogueError(["Add at least one size before publishing."])
    if product.published != published:
        record_audit(actor, "product.publish" if published else "product.unpublish", product,
                     {"published": product.published}, {"published": published}, summary=product.name)
        product.published = published
        db.session.commit()
    return product


@dataclass
class VariantFields:
    sku: str = ""
    size_label: str = ""
    amount: str = ""
    unit: str = "ml"
    price: str = ""
    trade_price: str = ""
    low_stock_threshold: str = "5"
    is_professional: bool = False
    shipping_weight_grams: str = ""  # packed, in grams; empty keeps it (a new size gets an estimate from its amount)
    case_quantity: str = ""  # sold in cases of; empty keeps it (a new size is sold singly)
    # Trade volume prices as typed, (from quantity, price each in pounds); None keeps the size's breaks as they are.
    price_breaks: list[tuple[str, str]] | None = None


def parse_variant(fields: VariantFields, variant_id: int | None, label: str = "") -> tuple[dict, list[str]]:
    """The variant's column values, and every problem (prefixed with `label`, e.g. 'Line 4: ')."""
    problems, values = [], {}
    sku = (fields.sku or "").strip().upper()
    if not SKU.match(sku):
        problems.append(Problem(f"{label}the SKU must be 2–40 capital letters, digits and hyphens.", "sku"))
    elif db.session.scalar(select(Variant.id).where(func.upper(Variant.sku) == sku, Variant.id != (variant_id or 0))):
        problems.append(Problem(f"{label}SKU {sku} is already used by another size.", "sku"))
    values["sku"] = sku
    size_label = (fields.size_label or "").strip()
    if not size_label or len(size_label) > 40:
        problems.append(Problem(f"{label}enter the size as shoppers see it, like “250 ml” (at most 40 characters).", "size_label"))
    values["size_label"] = size_label
    amount = str(fields.amount or "").strip()
    if not amount.isdigit() or not 0 < int(amount) <= 1_000_000:
        problems.append(Problem(f"{label}the amount must be a whole number of ml or g, more than 0.", "amount"))
    else:
        values["amount"] = int(amount)
    if fields.unit not in ("ml", "g"):
        problems.append(Problem(f"{label}the unit must be ml or g.", "unit"))
    values["unit"] = fields.unit
    try:
        values["price_pence"] = parse_pounds(fields.price, field="price")
    except ValueError as error:
        problems.append(Problem(f"{label}{error}", "price"))
    if str(fields.trade_price or "").strip():
        try:
            values["trade_price_pence"] = parse_pounds(fields.trade_price, field="trade price")
        except ValueError as error:
            problems.append(Problem(f"{label}{error}", "trade_price"))
    else:
        values["trade_price_pence"] = None
    if "price_pence" in values and (values.get("trade_price_pence") or 0) > values["price_pence"]:
        problems.append(Problem(f"{label}the trade price is more than the retail price.", "trade_price"))
    threshold = str(fields.low_stock_threshold or "").strip()
    if not threshold.isdigit() or int(threshold) > 100_000:
        problems.append(Problem(f"{label}the low-stock threshold must be a whole number from 0.", "low_stock_threshold"))
    else:
        values["low_stock_threshold"] = int(threshold)
    values["is_professional"] = bool(fields.is_professional)
    weight = str(fields.shipping_weight_grams or "").strip()
    if weight:
        if not weight.isdigit() or not 0 < int(weight) <= 100_000:
            problems.append(Problem(f"{label}the shipping weight must be a whole number of grams, more than 0.", "shipping_weight_grams"))
        else:
            values["shipping_weight_grams"] = int(weight)
    return values, problems


def _variant_snapshot(v: Variant) -> dict:
    return {**{k: getattr(v, k) for k in ("sku", "size_label", "amount", "unit", "price_pence", "trade_price_pence",
                                          "low_stock_threshold", "is_professional", "shipping_weight_grams", "case_quantity")},
            "price_breaks": [[b.min_quantity, b.unit_price_pence] for b in v.price_breaks]}


def _parse_volume(fields: VariantFields, variant: Variant | None, values: dict, label: str) -> tuple[dict, list]:
    """The case quantity and volume prices, checked against the trade price being saved (retail where none)."""
    case_text = str(fields.case_quantity or "").strip() or str(variant.case_quantity if variant else 1)
    case, problems = parse_case_quantity(case_text, label)
    if fields.price_breaks is None:
        breaks = [(b.min_quantity, b.unit_price_pence) for b in variant.price_breaks] if variant else []
    else:
        breaks, wrong = parse_breaks(fields.price_breaks, label)
        problems += wrong
    base = values.get("trade_price_pence") or values.get("price_pence")
    if base and case and not problems:
        problems += check_breaks(breaks, trade_pence=base, case_quantity=case, label=label)
    return {"case_quantity": case, "breaks": breaks}, problems


def _set_breaks(variant: Variant, breaks: list[tuple[int, int]]) -> None:
    """Keep the rows whose quantity stays (a row deleted and added again in one flush would meet the unique index)."""
    kept = {b.min_quantity: b for b in variant.price_breaks}
    wanted = dict(breaks)
    variant.price_breaks = [b for b in variant.price_breaks if b.min_quantity in wanted]
    for quantity, pence in breaks:
        if quantity in kept:
            kept[quantity].unit_price_pence = pence
        else:
            variant.price_breaks.append(PriceBreak(min_quantity=quantity, unit_price_pence=pence))
    variant.price_breaks.sort(key=lambda b: b.min_quantity)


def save_variant(product_id: int, variant_id: int | None, fields: VariantFields, *, actor) -> Variant:
    product = db.session.get(Product, product_id)
    variant = db.session.get(Variant, variant_id) if variant_id else None
    if product is None or (variant_id and (variant is None or variant.product_id != product.id)):
        raise CatalogueError(["That size no longer exists."])
    # Named by SKU: the product page has a form per size, and the summary at its top must say which.
    label = f"{variant.sku}: " if variant else "New size: "
    values, problems = parse_variant(fields, variant_id, label)
    volume, volume_problems = _parse_volume(fields, variant, values, label)
    problems += volume_problems
    if problems:
        raise CatalogueError(problems)
    before = _variant_snapshot(variant) if variant else {}
    if variant is None:
        variant = Variant(product_id=product.id, stock_on_hand=0)
        db.session.add(variant)
    for key, value in values.items():
        setattr(variant, key, value)
    variant.case_quantity = volume["case_quantity"]
    _set_breaks(variant, volume["breaks"])
    db.session.flush()
    record_audit(actor, "variant.update" if before else "variant.create", variant, before, _variant_snapshot(variant),
                 summary=f"{variant.sku} of {product.name}")
    db.session.commit()
    return variant


def save_image(product_id: int, data: bytes, folder: Path, *, actor) -> Product:
    """Store an uploaded photo under a name we choose; PNG, JPEG or WebP, at most 2 MB."""
    product = db.session.get(Product, product_id)
    if product is None:
        raise CatalogueError(["That product no longer exists."])
    if not data:
        raise CatalogueError([Problem("Choose an image file to upload.", "image")])
    if len(data) > MAX_IMAGE_BYTES:
        raise CatalogueError([Problem(f"The image is {len(data) / 1024 / 1024:.1f} MB; the most is 2 MB.", "image")])
    ext = next((e for magic, e in IMAGE_TYPES.items() if data.startswith(magic)), None)
    if ext == "webp" and data[8:12] != b"WEBP":
        ext = None
    if ext is None:
        raise CatalogueError([Problem("That file is not a PNG, JPEG or WebP image.", "image")])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{product.slug[:80]}-{secrets.token_hex(6)}.{ext}"  # never the uploader's own file name
    (folder / name).write_bytes(data)
    before = product.image_filename
    product.image_filename = name
    record_audit(actor, "product.image", product, {"image": before}, {"image": name}, summary=product.name)
    db.session.commit()
    return product
