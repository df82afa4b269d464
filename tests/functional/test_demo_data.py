"""The demo catalogue and guides: loaded once, and shaped like a real clinic supplier's shelf."""
import re

from sqlalchemy import func, select

from shop.catalog.models import Category, Product, Variant
from shop.demo.loader import GUIDES_DIR, load_demo, parse_guide
from shop.extensions import db
from shop.guides.models import Guide


def counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Product, Variant, Guide))


def test_seed_loads_once_and_leaves_existing_data_alone(app):
    first = load_demo()
    assert not first.skipped
    before = counts()
    oil = db.session.scalar(select(Variant).where(Variant.sku == "OIL-ALM-0100"))
    oil.stock_on_hand = 7
    db.session.commit()
    assert load_demo().skipped
    assert counts() == before
    assert db.session.scalar(select(Variant.stock_on_hand).where(Variant.sku == "OIL-ALM-0100")) == 7


def test_seed_reset_reloads(app):
    load_demo()
    db.session.execute(db.delete(Guide).where(Guide.slug == "when-not-to-massage"))
    db.session.commit()
    result = load_demo(reset=True)
    assert not result.skipped
    assert counts() == (result.products, result.variants, result.guides)


def test_seed_command(runner):
    assert "Loaded 32 products" in runner.invoke(args=["shop", "seed-demo"]).output
    assert "nothing loaded" in runner.invoke(args=["shop", "seed-demo"]).output


def test_demo_catalogue_is_a_full_shop(app, demo):
    products, variants, guides = counts()
    assert products >= 30 and variants >= 60 and guides >= 8
    categories = {c.slug for c in db.session.scalars(select(Category))}
    assert categories == {"creams", "oils", "balms", "lotions", "gels"}
    all_variants = list(db.session.scalars(select(Variant)))
    assert any(v.amount == 5000 and v.is_professional for v in all_variants)
    assert all(v.is_professional == (v.amount >= 500) for v in all_variants)
    assert sum(v.stock_on_hand == 0 for v in all_variants) >= 3
    assert sum(0 < v.stock_on_hand <= v.low_stock_threshold for v in all_variants) >= 3
    assert all(v.trade_price_pence is None or v.trade_price_pence < v.price_pence for v in all_variants)
    _has_realistic_lots()


def _has_realistic_lots():
    """Two or three lots per size, one short-dated, one expired on the shelf, one size whose only lot expired, oils PAO-only."""
    from datetime import timedelta

    from shop.clock import utcnow
    from shop.inventory.models import Lot
    from tests.helpers import assert_ledger_balances

    today = utcnow().date()
    by_sku: dict[str, list[Lot]] = {}
    for lot in db.session.scalars(select(Lot).join(Variant).order_by(Lot.id)):  # as received: the first lot leads
        by_sku.setdefault(lot.variant.sku, []).append(lot)
    assert all(2 <= len(found) <= 3 for found in by_sku.values() if found[0].quantity_received >= 20)
    short = [lot for lot in by_sku["CRM-ARN-0100"] if lot.expires_on and lot.expires_on < today + timedelta(days=90)]
    assert short and short[0].status == "sellable"
    assert [lot.status for lot in by_sku["BLM-WRM-0050"]].count("expired") == 1
    assert [lot.status for lot in by_sku["LOT-OAT-1000"]] == ["expired"]
    assert db.session.scalar(select(Variant.stock_on_hand).where(Variant.sku == "LOT-OAT-1000")) == 0
    assert all(lot.expires_on is None and lot.pao_months == 12 for lot in by_sku["OIL-ALM-0100"])
    assert_ledger_balances()


def test_bigger_sizes_always_cost_less_per_100(app, demo):
    for product in db.session.scalars(select(Product)):
        per_100 = [v.price_per_hundred_pence for v in sorted(product.variants, key=lambda v: v.amount)]
        assert per_100 == sorted(per_100, reverse=True), product.slug


def test_flags_never_contradict_allergens(app, demo):
    for product in db.session.scalars(select(Product)):
        slugs = {f.slug for f in product.flags}
        if "nut-free" in slugs:
            assert not slugs & {"tree-nuts", "coconut"}, product.slug
        if "fragrance-free" in slugs:
            assert "fragrance-allergens" not in slugs, product.slug
        if "almond" in product.ingredients.lower():
            assert "tree-nuts" in slugs, product.slug
        if "arnica" in product.ingredients.lower():
            assert re.search(r"broken\b.{0,30}\bskin", product.cautions.lower()), product.slug


def test_every_guide_is_short_and_links_the_products_it_names(app, demo):
    for path in sorted(GUIDES_DIR.glob("*.md")):
        guide = parse_guide(path.read_text(encoding="utf-8"))
        words = len(re.sub(r"\]\([^)]*\)", "]", guide["body"]).split())
        assert 150 <= words <= 420, (path.name, words)
        linked = set(re.findall(r"\(/products/([a-z0-9-]+)\)", guide["body"]))
        assert linked == set(guide["products"]), path.name


def test_seeded_guides_and_products_link_both_ways(client, demo):
    html = client.get("/guides/patch-testing-and-allergies").get_data(as_text=True)
    assert 'href="/products/sweet-almond-massage-oil"' in html
    product = client.get("/products/sweet-almond-massage-oil").get_data(as_text=True)
    assert 'href="/guides/patch-testing-and-allergies"' in product
