"""The demo shelf has realistic lots: several per size, one short-dated, one expired, oils with PAO only."""
from datetime import timedelta

from sqlalchemy import select

from shop.catalog.models import Variant
from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.models import Lot
from tests.helpers import assert_ledger_balances


def test_the_demo_lots_show_every_rule(app, demo):
    today = utcnow().date()
    lots = list(db.session.scalars(select(Lot).join(Variant)))
    by_sku: dict[str, list[Lot]] = {}
    for lot in lots:
        by_sku.setdefault(lot.variant.sku, []).append(lot)
    assert all(2 <= len(found) <= 3 for sku, found in by_sku.items() if found[0].quantity_received >= 20)
    short = [lot for lot in by_sku["CRM-ARN-0100"] if lot.expires_on and lot.expires_on < today + timedelta(days=90)]
    assert short and short[0].status == "sellable"
    assert [lot.status for lot in by_sku["BLM-WRM-0050"]].count("expired") == 1
    assert [lot.status for lot in by_sku["LOT-OAT-1000"]] == ["expired"]
    assert db.session.scalar(select(Variant.stock_on_hand).where(Variant.sku == "LOT-OAT-1000")) == 0
    assert all(lot.expires_on is None and lot.pao_months == 12 for lot in by_sku["OIL-ALM-0100"])
    assert_ledger_balances()
