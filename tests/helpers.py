"""Small helpers for driving the shop through its forms, as a browser would."""
import hashlib
import os
import re
from pathlib import Path

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from shop.catalog.models import Variant
from shop.extensions import db
from shop.inventory.models import StockMovement


def _token_in(html: str) -> str | None:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    return match.group(1) if match else None


def csrf_token(client, url=None) -> str:
    """A CSRF token valid for this client's session, as any page's form would carry.

    Without `url` it is made the way Flask-WTF makes it (the session's raw token, signed with
    the app's secret), with no page fetched: a GET before every POST was a large share of the
    suite's time. With `url`, it is read from that page's form (tests that need the page's own).
    Forms refusing a missing or wrong token is tested on its own (tests/functional/test_csrf_sweep.py).
    """
    if url is not None:
        return page_token(client, url)
    app = client.application
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    with client.session_transaction() as session:
        if field not in session:
            session[field] = hashlib.sha1(os.urandom(64)).hexdigest()
        raw = session[field]
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


def add_to_cart(client, variant_id, quantity=1, **extra):
    data = {"variant_id": variant_id, "quantity": quantity, "csrf_token": csrf_token(client), **extra}
    return client.post("/cart/add", data=data)


def checkout(client):
    """Checkout as a buyer who already chose delivery; one who has not gets the standard delivery to Leeds."""
    with client.session_transaction() as session:
        chosen = session.get("delivery")
    if not chosen:
        choose_delivery(client)
    return client.post("/checkout", data={"csrf_token": csrf_token(client)})


def ensure_delivery():
    """The standard zones and the demo methods and rates, unless the test has its own."""
    from shop.delivery.loading import load_standard_delivery

    if load_standard_delivery():
        db.session.commit()


def deliver_by_standard(client, postcode="LS1 1AA"):
    """The delivery choice put straight into the session, for tests of other things that open many carts
    (the cart's form is tested in tests/delivery)."""
    ensure_delivery()
    with client.session_transaction() as session:
        session["delivery"] = {"postcode": postcode, "method": "tracked-48"}


def choose_delivery(client, postcode="LS1 1AA", method=None):
    """Enter a postcode and choose a method in the cart. Without a method: Royal Mail Tracked 48, or the
    courier when the parcel is too heavy for it (what a buyer of a heavy order would pick)."""
    ensure_delivery()
    for code in [method] if method else ["tracked-48", "courier"]:
        response = client.post("/cart/delivery", data={"postcode": postcode, "method": code, "csrf_token": csrf_token(client)})
        with client.session_transaction() as session:
            if (session.get("delivery") or {}).get("method"):
                break
    return response


def stock_of(variant_id) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Variant.stock_on_hand).where(Variant.id == variant_id))


def assert_ledger_balances():
    """Stock on hand equals the sum of its movements, for every variant."""
    db.session.expire_all()
    sums = dict(
        db.session.execute(select(StockMovement.variant_id, func.sum(StockMovement.delta)).group_by(StockMovement.variant_id)).all()
    )
    for variant_id, on_hand in db.session.execute(select(Variant.id, Variant.stock_on_hand)).all():
        assert on_hand >= 0
        assert sums.get(variant_id, 0) == on_hand, f"variant {variant_id}: on hand {on_hand}, movements {sums.get(variant_id, 0)}"
    # Per lot: its on-hand is the sum of its movements; per size: its sellable lots add up to its stock.
    from shop.inventory.models import Lot

    by_lot = dict(db.session.execute(select(StockMovement.lot_id, func.sum(StockMovement.lot_delta))
                                     .where(StockMovement.lot_id.is_not(None)).group_by(StockMovement.lot_id)).all())
    sellable: dict[int, int] = {}
    for lot in db.session.scalars(select(Lot)):
        assert lot.on_hand >= 0
        assert by_lot.get(lot.id, 0) == lot.on_hand, f"lot {lot.code}: on hand {lot.on_hand}, movements {by_lot.get(lot.id, 0)}"
        if lot.status == "sellable":
            sellable[lot.variant_id] = sellable.get(lot.variant_id, 0) + lot.on_hand
    for variant_id, on_hand in db.session.execute(select(Variant.id, Variant.stock_on_hand)).all():
        assert sellable.get(variant_id, 0) == on_hand, f"variant {variant_id}: stock {on_hand}, sellable lots {sellable.get(variant_id, 0)}"


def deliver_due(app, now=None):
    """Run the worker once in-process, as `flask --app wsgi shop worker --once` would: every message
    due is delivered (to the outbox folder, or the SMTP server the app is set up with). No periodic jobs."""
    from shop.clock import utcnow
    from shop.messages.worker import drain

    with app.app_context():  # its own session: the test's objects are not expired under it
        return drain(now or utcnow())


def outbox(app) -> list[Path]:
    """The emails delivered so far, oldest first, after delivering what is due: requests only record them."""
    deliver_due(app)
    folder = Path(app.instance_path) / "outbox"
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def sign_in(client, email, password, **extra):
    token = _token_in(client.get("/account/sign-in").get_data(as_text=True))
    return client.post("/account/sign-in", data={"email": email, "password": password, "csrf_token": token, **extra})


def page_token(client, url) -> str:
    token = _token_in(client.get(url).get_data(as_text=True))
    assert token, f"no CSRF token on {url}"
    return token


def links_in_outbox(app, path_prefix) -> list[str]:
    """The shop links (path and query) found in every email in the outbox, oldest first."""
    found = []
    for message in outbox(app):
        text = email_text(message)
        found += re.findall(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]*)", text)
    return found


def email_text(path) -> str:
    from email import message_from_bytes, policy

    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    return message.get_body(("plain",)).get_content()


def email_subjects(app) -> list[tuple[str, str]]:
    from email import message_from_bytes, policy

    return [(m["To"], m["Subject"]) for m in (message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox(app))]


def tampered(link: str) -> str:
    """The link with one character of its signature changed. Not the last: its low bits are padding in
    base64, so some replacements there decode to the same signature and the link still works."""
    i = len(link) - 5
    return link[:i] + ("A" if link[i] != "A" else "B") + link[i + 1:]
