"""Small factories for models: each makes a valid object with sensible defaults and commits it."""
import itertools

from shop.catalog.models import Category, Flag, Product, Variant
from shop.extensions import db
from shop.guides.models import Guide
from shop.inventory.services import record_stock

_seq = itertools.count(1)


def category(slug="creams", name=None, position=0):
    existing = db.session.query(Category).filter_by(slug=slug).one_or_none()
    if existing:
        return existing
    cat = Category(slug=slug, name=name or slug.title(), description=f"All our {slug}.", position=position)
    db.session.add(cat)
    db.session.flush()
    return cat


def flag(slug, kind="suitable", name=None):
    existing = db.session.query(Flag).filter_by(slug=slug).one_or_none()
    if existing:
        return existing
    f = Flag(slug=slug, name=name or slug.replace("-", " ").capitalize(), kind=kind)
    db.session.add(f)
    db.session.flush()
    return f


def product(
    name=None,
    *,
    category_slug="creams",
    sizes=((100, 999, 20),),
    unit="ml",
    flags=(),
    allergens=(),
    commit=True,
    **fields,
):
    """A product with one variant per (amount, price_pence, stock) in `sizes`."""
    n = next(_seq)
    name = name or f"Test Product {n}"
    slug = fields.pop("slug", None) or f"{name.lower().replace(' ', '-')}-{n}"
    p = Product(
        slug=slug,
        name=name,
        category=category(category_slug),
        summary=fields.pop("summary", f"A summary of {name}."),
        description=fields.pop("description", f"{name} is a product for testing."),
        how_to_use=fields.pop("how_to_use", "Warm a little between the hands."),
        ingredients=fields.pop("ingredients", "Aqua, Glycerin"),
        cautions=fields.pop("cautions", ""),
        flags=[flag(s) for s in flags] + [flag(s, kind="allergen") for s in allergens],
        **fields,
    )
    for i, (amount, price, stock) in enumerate(sizes):
        p.variants.append(
            Variant(
                sku=f"SKU-{n}-{i}",
                size_label=f"{amount} {unit}" if amount < 1000 else f"{amount // 1000} L",
                amount=amount,
                unit=unit,
                price_pence=price,
                trade_price_pence=price * 3 // 4,
                stock_on_hand=0,
                is_professional=amount >= 500,
            )
        )
    db.session.add(p)
    db.session.flush()
    # Opening stock through the ledger, so stock on hand always equals the sum of movements.
    for variant, (_, _, stock) in zip(p.variants, sizes):
        if stock:
            record_stock(variant.id, stock, "initial")
    if commit:
        db.session.commit()
    return p


def guide(title=None, *, products=(), body=None, published=True, **fields):
    n = next(_seq)
    title = title or f"Test guide {n}"
    g = Guide(
        slug=fields.pop("slug", None) or f"guide-{n}",
        title=title,
        summary=fields.pop("summary", f"What {title} covers."),
        body=body or "## Start\n\nSome words about massage.\n",
        published=published,
        products=list(products),
        **fields,
    )
    db.session.add(g)
    db.session.commit()
    return g
