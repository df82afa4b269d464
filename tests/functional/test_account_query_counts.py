"""Account pages and a trade cart run a fixed number of queries, however long the history."""
import pytest

from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import add_to_cart, sign_in


def history(owner, product, orders):
    for _ in range(orders):
        make.paid_order(owner, [(product.variants[0], 1), (product.variants[1], 2)], pricing="trade")


@pytest.mark.parametrize("orders", [3, 30])
def test_account_pages_stay_within_six_queries(app, count_queries, orders):
    oil = make.product("Oil", sizes=((100, 1000, 50), (1000, 5000, 50)))
    jo = make.user("jo@clinic.example", trade_status="approved")
    history(jo, oil, orders)
    client = app.test_client()
    sign_in(client, "jo@clinic.example", PASSWORD)
    add_to_cart(client, oil.variants[1].id, 2)
    for url in ("/account", "/account/orders/1", "/account/orders/1/receipt", "/account/supplies", "/cart"):
        with count_queries() as counted:
            answer = client.get(url)
        assert answer.status_code == 200, url
        # The cart adds delivery (the customer's last postcode, the methods with their rates, the zone),
        # the lines' trade volume prices, and the clinic's sites and payment terms, whatever the history.
        budget = 8 if url == "/cart" else 6
        assert counted.n <= budget, f"{url}: {counted.n} queries\n" + "\n".join(counted.statements)
