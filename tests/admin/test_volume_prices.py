"""Volume prices and case quantities in the back office: checked with clear messages, audited, and held by the database."""
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.audit.models import AuditEntry
from shop.catalog.editing import CatalogueError, VariantFields, save_variant
from shop.catalog.models import PriceBreak, Variant
from shop.extensions import db
from tests.admin.support import signed_in
from tests.admin.test_catalogue import HEADER, import_csv
from tests.helpers import csrf_token
from tests.volume.support import litre_of_oil


def size_form(variant, breaks=(), case="1", **changes):
    data = {"sku": variant.sku, "size_label": variant.size_label, "amount": variant.amount, "unit": variant.unit,
            "price": "40.00", "trade_price": "30.00", "low_stock_threshold": "5", "case_quantity": case,
            "break_quantity": [q for q, _ in breaks], "break_price": [p for _, p in breaks], **changes}
    return data


def fields(variant, breaks=(), case="1", trade="30.00") -> VariantFields:
    return VariantFields(sku=variant.sku, size_label=variant.size_label, amount=str(variant.amount), unit=variant.unit,
                         price="40.00", trade_price=trade, low_stock_threshold="5", case_quantity=case,
                         price_breaks=list(breaks))


def test_an_admin_sets_volume_prices_and_a_case_and_the_change_is_audited(app, client):
    admin = signed_in(client)
    oil = litre_of_oil(breaks=())
    url = f"/admin/products/{oil.product_id}/variants/{oil.id}"
    data = size_form(oil, [("12", "27.00"), ("6", "28.50"), ("", "")], case="6", csrf_token=csrf_token(client))
    assert client.post(url, data=data).status_code == 303
    db.session.expire_all()
    saved = db.session.get(Variant, oil.id)
    assert saved.case_quantity == 6
    assert [(b.min_quantity, b.unit_price_pence) for b in saved.price_breaks] == [(6, 2850), (12, 2700)]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "variant.update")).one()
    assert entry.actor_id == admin.id
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "from 6: £28.50; from 12: £27.00" in log and "Sold in cases of" in log
    form = client.get(f"/admin/products/{oil.product_id}").get_data(as_text=True)
    assert 'name="break_quantity" value="6"' in form and 'name="break_price" value="28.50"' in form


def test_a_volume_price_that_rises_is_refused_with_a_clear_message_and_nothing_is_saved(app, client):
    signed_in(client)
    oil = litre_of_oil()
    url = f"/admin/products/{oil.product_id}/variants/{oil.id}"
    response = client.post(url, data=size_form(oil, [("6", "28.50"), ("12", "29.00")], csrf_token=csrf_token(client)))
    assert response.status_code == 422
    assert ("the volume price from 12 (£29.00) must be less than the price from 6 (£28.50): prices fall as quantities rise."
            in response.get_data(as_text=True))
    assert 'name="break_price" value="29.00"' in response.get_data(as_text=True)  # the form comes back as typed
    db.session.expire_all()
    assert [(b.min_quantity, b.unit_price_pence) for b in db.session.get(Variant, oil.id).price_breaks] == [(6, 2850), (12, 2700)]
    assert db.session.scalars(select(AuditEntry)).all() == []


@pytest.mark.parametrize("breaks, case, trade, message", [
    ([("6", "30.00")], "1", "30.00", "the volume price from 6 (£30.00) must be less than the trade price (£30.00)"),
    ([("1", "25.00")], "1", "30.00", "a volume price starts at a whole number of units from 2"),
    ([("6", "28.50"), ("6", "27.00")], "1", "30.00", "there are two volume prices from 6: keep one."),
    ([("6", "28.50")], "4", "30.00", "the volume price from 6 can't be reached in cases of 4"),
    ([], "0", "30.00", "the case quantity must be a whole number from 1 (sold singly)"),
    ([("6", "28.50")], "1", "28.00", "the volume price from 6 (£28.50) must be less than the trade price (£28.00)"),
])
def test_the_rules_rows_alone_cannot_keep_are_checked_when_saving(app, breaks, case, trade, message):
    oil = litre_of_oil(breaks=())
    with pytest.raises(CatalogueError) as refused:
        save_variant(oil.product_id, oil.id, fields(oil, breaks, case, trade), actor=None)
    assert any(message in problem for problem in refused.value.problems), refused.value.problems


def test_a_csv_import_cannot_lower_the_trade_price_under_a_volume_price(app, client):
    signed_in(client)
    oil = litre_of_oil()
    csv = HEADER + f"{oil.sku},{oil.product.slug},,,1 L,1000,ml,40.00,28.00,5,\n"
    response = import_csv(client, csv)
    assert response.status_code == 422
    assert "the volume price from 6 (£28.50) must be less than the trade price (£28.00)" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Variant, oil.id).trade_price_pence == 3000


@pytest.mark.parametrize("row", [dict(min_quantity=1, unit_price_pence=2900), dict(min_quantity=6, unit_price_pence=0),
                                 dict(min_quantity=12, unit_price_pence=2600)])
def test_the_database_refuses_a_break_for_one_a_free_break_and_a_second_break_at_a_quantity(app, row):
    oil = litre_of_oil()  # already has breaks from 6 and 12
    db.session.add(PriceBreak(variant_id=oil.id, **row))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_database_refuses_a_case_of_none(app):
    oil = litre_of_oil()
    oil.case_quantity = 0
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
