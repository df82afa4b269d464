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


PASSWORD = "correct horse battery staple"


def user(email=None, *, password=PASSWORD, verified=True, role="customer", trade_status=None, name="", **trade_fields):
    """A customer (verified unless told otherwise), optionally with a trade account in `trade_status`."""
    from shop.accounts.models import TradeAccount, User
    from shop.clock import utcnow

    n = next(_seq)
    u = User(email=email or f"person{n}@example.com", role=role, name=name,
             email_verified_at=utcnow() if verified else None)
    u.set_password(password)
    db.session.add(u)
    if trade_status:
        u.trade_account = TradeAccount(
            clinic_name=trade_fields.get("clinic_name", f"Clinic {n}"), profession="physiotherapist",
            professional_body="HCPC", registration_number=f"PH{n:05d}", address_line1="1 High Street",
            city="Leeds", postcode="LS1 1AA", phone="0113 000 0000", status=trade_status,
            decision_reason=trade_fields.get("decision_reason", ""),
        )
        if trade_status == "approved":
            u.role = "practitioner"
        if trade_status in ("approved", "suspended"):  # as an approval leaves it: a clinic it owns
            from shop.clinics.models import Clinic, ClinicMember

            db.session.add(Clinic(trade_account=u.trade_account, name=u.trade_account.clinic_name,
                                  members=[ClinicMember(user=u, role="owner")]))
    db.session.commit()
    return u


def paid_order(owner=None, lines=(), *, email=None, paid_at=None, pricing="retail", status="paid"):
    """A paid order in someone's history: `lines` are (variant, quantity) or (variant, quantity, unit_price)."""
    from shop.clock import utcnow
    from shop.orders.models import Order, OrderLine

    order_lines = []
    for line in lines:
        variant, quantity = line[0], line[1]
        price = line[2] if len(line) > 2 else variant.price_for(pricing == "trade")
        order_lines.append(OrderLine(variant_id=variant.id, product_id=variant.product_id, sku=variant.sku,
                                     product_name=variant.product.name, size_label=variant.size_label,
                                     unit_price_pence=price, quantity=quantity))
    subtotal = sum(l.unit_price_pence * l.quantity for l in order_lines)
    when = paid_at or utcnow()
    order = Order(status=status, email=email or (owner.email if owner else "guest@example.com"),
                  user_id=owner.id if owner else None, currency="gbp", subtotal_pence=subtotal, shipping_pence=0,
                  total_pence=subtotal, gateway="demo", pricing=pricing, created_at=when,
                  paid_at=when if status == "paid" else None, lines=order_lines,
                  ship_name="A Buyer", ship_line1="2 Park Road", ship_city="York", ship_postcode="YO1 1AA", ship_country="GB")
    db.session.add(order)
    db.session.commit()
    return order


def lot_line(sku, units, lot="LOT-A1", *, expires="", pao="24"):
    """A delivery line for receive_delivery: by default a lot that keeps over 30 months (24 months after opening)."""
    from shop.inventory.services import DeliveryLine

    return DeliveryLine(sku=sku, units=units, lot=lot, expires=expires, pao="" if expires else pao)


def clinic_member(clinic, email=None, *, role="buyer", monthly_limit_pence=None, **user_fields):
    """Someone on a clinic's team (as an accepted invitation leaves them), with a buyer's monthly limit if given."""
    from shop.clinics.models import ClinicMember

    person = user(email, **user_fields)
    db.session.add(ClinicMember(clinic_id=clinic.id, user_id=person.id, role=role, monthly_limit_pence=monthly_limit_pence))
    db.session.commit()
    db.session.refresh(person)
    return person
