"""Loads the demo catalogue and care guides into an empty store."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select

from shop.audit.services import record_audit
from shop.catalog.models import Category, Flag, PriceBreak, Product, Variant, product_flags
from shop.delivery.loading import load_standard_delivery
from shop.delivery.weights import estimated_shipping_grams
from shop.demo import catalogue
from shop.extensions import db
from shop.guides.models import Guide, product_guides
from shop.clock import utcnow
from shop.demo.lots import lots_for
from shop.inventory.lots import add_to_lot, withdraw_stale_lots
from shop.inventory.models import Lot, LotAllocation, StockMovement
from shop.offers.models import DiscountCode
from shop.orders.models import Order, OrderEvent, OrderLine
from shop.payments.models import DemoCheckoutSession

GUIDES_DIR = Path(__file__).parent / "guides"


@dataclass
class LoadResult:
    skipped: bool
    products: int = 0
    variants: int = 0
    guides: int = 0


def parse_guide(text: str) -> dict:
    """Split a guide file into its front matter (title, summary, products, published) and body."""
    if not text.startswith("---"):
        raise ValueError("a guide starts with a '---' front-matter block")
    _, header, body = text.split("---", 2)
    meta = {}
    for line in header.strip().splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    return {
        "title": meta["title"],
        "summary": meta.get("summary", ""),
        "products": [s.strip() for s in meta.get("products", "").split(",") if s.strip()],
        "published_at": datetime.fromisoformat(meta["published"]) if meta.get("published") else None,
        "body": body.strip() + "\n",
    }


def clear_catalogue() -> None:
    """Everything the demo loads, and the orders that point at it."""
    from shop.recalls.models import ReactionReport, RecallNotice

    for model in (LotAllocation, RecallNotice, ReactionReport, OrderEvent, OrderLine, DemoCheckoutSession, StockMovement,
                  Order):
        db.session.execute(delete(model))
    for table in (product_guides, product_flags):
        db.session.execute(delete(table))
    for model in (Guide, Lot, PriceBreak, Variant, Product, Flag, Category):
        db.session.execute(delete(model))


def _load_demo_codes() -> bool:
    if db.session.scalar(select(func.count(DiscountCode.id))):
        return False
    db.session.add_all([
        DiscountCode(code="WELCOME10", kind="percent", percent_off=10, min_spend_pence=2000, max_uses_per_customer=1),
        DiscountCode(code="FREEDELIVERY", kind="free_delivery", min_spend_pence=3000),
    ])
    return True


def load_demo(reset: bool = False) -> LoadResult:
    # Delivery methods and zones, and two demo codes, are loaded once, into an empty store or one from before they existed.
    if load_standard_delivery() | _load_demo_codes():
        db.session.commit()
    if reset:
        clear_catalogue()
    elif db.session.scalar(select(func.count(Product.id))):
        return LoadResult(skipped=True)

    categories = {}
    for position, data in enumerate(catalogue.CATEGORIES):
        categories[data["slug"]] = Category(position=position, **data)
    flags = {data["slug"]: Flag(**data) for data in catalogue.FLAGS}
    db.session.add_all([*categories.values(), *flags.values()])

    # Spread creation times so "newest first" has a meaningful order.
    start = datetime(2026, 6, 1)
    products = {}
    variant_count = 0
    for index, data in enumerate(catalogue.PRODUCTS):
        colour, tint = data["colours"]
        product = Product(
            slug=data["slug"],
            name=data["name"],
            category=categories[data["category"]],
            summary=data["summary"],
            description=data["description"],
            how_to_use=data["how_to_use"],
            ingredients=data["ingredients"],
            cautions=data["cautions"],
            for_home_care=data["home_care"],
            for_practice=data["practice"],
            featured=data.get("featured", False),
            container=data["container"],
            colour=colour,
            tint=tint,
            created_at=start + timedelta(days=3 * index),
            flags=[flags[s] for s in [*data.get("suitable", []), *data.get("allergens", [])]],
        )
        for v in data["variants"]:
            product.variants.append(
                Variant(
                    sku=v["sku"],
                    size_label=v["size"],
                    amount=v["amount"],
                    unit=v["unit"],
                    price_pence=v["price"],
                    trade_price_pence=v.get("trade"),
                    stock_on_hand=0,
                    is_professional=v.get("professional", False),
                    shipping_weight_grams=estimated_shipping_grams(v["amount"], data["container"]),
                    case_quantity=v.get("case", 1),
                    price_breaks=[PriceBreak(min_quantity=q, unit_price_pence=p) for q, p in v.get("breaks", ())],
                )
            )
            variant_count += 1
        products[product.slug] = product
        db.session.add(product)
    db.session.flush()
    # Opening stock goes through the ledger like every other change, one lot at a time; lots already
    # past their date then leave sale the way the daily expiry job would take them.
    today = utcnow().date()
    for index, data in enumerate(catalogue.PRODUCTS):
        for variant, v in zip(products[data["slug"]].variants, data["variants"]):
            for demo_lot in lots_for(v["sku"], v["stock"], data["category"], index, today):
                lot = Lot(variant_id=variant.id, code=demo_lot.code, expires_on=demo_lot.expires_on,
                          manufactured_on=demo_lot.manufactured_on, pao_months=demo_lot.pao_months,
                          received_on=demo_lot.received_on, supplier="Demo Botanicals Ltd",
                          delivery_ref=f"DEMO-{demo_lot.received_on:%y%m%d}", quantity_received=demo_lot.units,
                          on_hand=0, status="sellable")
                db.session.add(lot)
                db.session.flush()
                add_to_lot(lot, demo_lot.units, "initial", note="demo catalogue")
    withdraw_stale_lots(today)

    guide_files = sorted(GUIDES_DIR.glob("*.md"))
    for path in guide_files:
        data = parse_guide(path.read_text(encoding="utf-8"))
        unknown = [s for s in data["products"] if s not in products]
        if unknown:
            raise ValueError(f"{path.name} links unknown products: {', '.join(unknown)}")
        db.session.add(
            Guide(
                slug=path.stem,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                published_at=data["published_at"] or start,
                products=[products[s] for s in data["products"]],
            )
        )
    # Only the command line loads it (seed-demo, make run on an empty database): --reset replaces the catalogue.
    record_audit(None, "catalogue.seed", ("catalogue", "demo"), {},
                 {"products_loaded": len(products), "sizes_loaded": variant_count, "guides_loaded": len(guide_files),
                  "replaced_the_old_catalogue": reset},
                 summary="demo catalogue reloaded, replacing the old one" if reset else "demo catalogue loaded")
    db.session.commit()
    return LoadResult(skipped=False, products=len(products), variants=variant_count, guides=len(guide_files))
