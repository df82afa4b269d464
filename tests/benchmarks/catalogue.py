"""A large catalogue for the benchmark: the demo catalogue and guides, then generated products.

The schema comes from the migrations (`flask db upgrade`), as in production; the generated
products are bulk inserts (one statement per table), each a variation of a demo product with
its own name, slug, SKUs, prices and stock, and its opening stock in the ledger.
"""
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PREFIXES = ["Clinic", "Studio", "Classic", "Pure", "Gentle", "Therapy", "Daily", "Professional",
            "Soothing", "Natural", "Sport", "Restore", "Calm", "Active", "Essential", "Field"]


def recreate_postgres_database(admin_url: str, name: str) -> str:
    """Drop and create `name` on the server at admin_url; returns the new database's URL."""
    from shop.config import normalise_database_url

    engine = create_engine(normalise_database_url(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    base = admin_url.rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_postgres_database(admin_url: str, name: str) -> None:
    from shop.config import normalise_database_url

    engine = create_engine(normalise_database_url(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def migrate(database_url: str, instance_path: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SHOP_INSTANCE_PATH": instance_path, "SHOP_ENV": "development"}
    flask = Path(sys.executable).with_name("flask")
    subprocess.run([str(flask), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def build(database_url: str, instance_path: str, products: int, seed: int = 6) -> dict:
    """Migrate an empty database and fill it with `products` published products."""
    migrate(database_url, instance_path)

    from shop import create_app
    from shop.config import DevelopmentConfig

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        info = _fill(products, random.Random(seed))
        from shop.extensions import db

        db.engine.dispose()
    return info


def _fill(total: int, rng: random.Random) -> dict:
    from shop.catalog.models import Category, Flag, Product, Variant, product_flags
    from shop.demo import catalogue
    from shop.demo.loader import load_demo
    from shop.extensions import db
    from shop.inventory.models import StockMovement

    load_demo()
    categories = {c.slug: c.id for c in db.session.scalars(select(Category))}
    flags = {f.slug: f.id for f in db.session.scalars(select(Flag))}
    templates = catalogue.PRODUCTS
    extra = max(0, total - len(templates))
    start = datetime(2026, 1, 1)

    product_rows, planned = [], []
    for i in range(extra):
        t = templates[i % len(templates)]
        prefix = PREFIXES[(i // len(templates)) % len(PREFIXES)]
        colour, tint = t["colours"]
        product_rows.append(dict(
            slug=f"{prefix.lower()}-{t['slug']}-{i}",
            name=f"{prefix} {t['name']} No. {i}",
            category_id=categories[t["category"]],
            summary=t["summary"],
            description=t["description"],
            how_to_use=t["how_to_use"],
            ingredients=t["ingredients"],
            cautions=t["cautions"],
            for_home_care=t["home_care"],
            for_practice=t["practice"],
            featured=False,
            published=True,
            container=t["container"],
            colour=colour,
            tint=tint,
            created_at=start + timedelta(minutes=7 * i),
        ))
        planned.append(t)

    product_ids = list(db.session.scalars(
        insert(Product).returning(Product.id, sort_by_parameter_order=True), product_rows
    )) if product_rows else []

    variant_rows, flag_rows, stocks = [], [], []
    for i, (product_id, t) in enumerate(zip(product_ids, planned)):
        for slug in [*t.get("suitable", []), *t.get("allergens", [])]:
            flag_rows.append({"product_id": product_id, "flag_id": flags[slug]})
        for v in t["variants"]:
            price = max(99, v["price"] + rng.randint(-150, 150))
            stock = rng.choice([0, 3, 12, 40, 85, 150])
            variant_rows.append(dict(
                product_id=product_id, sku=f"{v['sku']}-{i}", size_label=v["size"], amount=v["amount"],
                unit=v["unit"], price_pence=price,
                trade_price_pence=price * 3 // 4 if v.get("trade") else None,
                stock_on_hand=stock, is_professional=v.get("professional", False),
            ))
            stocks.append(stock)

    if flag_rows:
        db.session.execute(insert(product_flags), flag_rows)
    variant_ids = list(db.session.scalars(
        insert(Variant).returning(Variant.id, sort_by_parameter_order=True), variant_rows
    )) if variant_rows else []
    movements = [
        dict(variant_id=vid, delta=stock, stock_after=stock, reason="initial", note="benchmark catalogue")
        for vid, stock in zip(variant_ids, stocks) if stock
    ]
    if movements:
        db.session.execute(insert(StockMovement), movements)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # As autovacuum would within a minute or two of the load: statistics, and the full-text
        # index's pending list merged (until then every search reads the list whole, and the
        # planner, costing that, scans the table instead: 25 ms against 2.5 ms for "arnica").
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    count = db.session.scalar(select(db.func.count(Product.id)))
    variants = db.session.scalar(select(db.func.count(Variant.id)))
    return {"products": count, "variants": variants}


ADMIN_EMAIL = "bench-admin@example.com"
ADMIN_PASSWORD = "bench admin password, long enough"


def create_admin(database_url: str) -> str:
    """An admin with a second factor already on, for loading the back office; returns its TOTP secret."""
    import pyotp

    from shop import create_app
    from shop.accounts.models import User
    from shop.clock import utcnow
    from shop.config import DevelopmentConfig
    from shop.extensions import db

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=database_url)
    secret = pyotp.random_base32()
    with app.app_context():
        user = User(email=ADMIN_EMAIL, role="admin", name="Bench Admin", email_verified_at=utcnow(),
                    totp_secret=secret, second_factor_at=utcnow())
        user.set_password(ADMIN_PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.engine.dispose()
    return secret
