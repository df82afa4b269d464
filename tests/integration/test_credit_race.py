"""Members of one clinic ordering on account at the same moment cannot together pass its credit limit
(PostgreSQL: real row locks, real concurrency, through the checkout's HTTP view)."""
import threading

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.invoicing.models import Invoice
from tests import factories as make
from tests.helpers import add_to_cart, csrf_token, deliver_by_standard
from tests.invoicing.support import add_buyer, clinic_on_terms, signed_in

pytestmark = pytest.mark.postgres_only
MEMBERS = 6


def test_members_ordering_at_once_stay_within_the_clinic_credit_limit(app):
    oil = make.product("Race Oil", sizes=((1000, 4000, 50),))  # £30.00 each at trade price, free delivery over £50
    owner = clinic_on_terms(credit_pence=10_000)  # room for three orders of £30 (plus delivery), never four
    members = [owner] + [add_buyer(owner) for _ in range(MEMBERS - 1)]
    clients = []
    for member in members:
        client = signed_in(app, member)
        add_to_cart(client, oil.variants[0].id, 1)
        deliver_by_standard(client)
        clients.append((client, csrf_token(client)))
    barrier = threading.Barrier(MEMBERS)
    results = [None] * MEMBERS

    def order(i):
        client, token = clients[i]
        barrier.wait(timeout=30)
        response = client.post("/checkout/on-account", data={"csrf_token": token})
        results[i] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=order, args=(i,)) for i in range(MEMBERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    db.session.expire_all()
    owed = db.session.scalar(select(func.sum(Invoice.amount_pence)))
    won = [status for status, _ in results].count(303)
    assert owed <= 10_000 < owed + owed // won, (owed, results)  # as many as fit, and no more
    assert won == db.session.scalar(select(func.count(Invoice.id)))
    for status, body in results:
        assert status in (303, 409), body[-500:]
        if status == 409:
            assert "over its credit limit of £100.00" in body
