"""The Stripe test double, driven through the real `stripe` package."""

import json
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe

from tests.stripe.double import StripeDouble

SECRET = "whsec_test_double_secret"
# The double's clock is frozen here: parameters built from it are the same on every call, and
# the expires_at window checks do not depend on how fast the machine is.
NOW = 1_800_000_000


@pytest.fixture
def double():
    with StripeDouble(webhook_secret=SECRET) as d:
        d.clock = lambda: NOW
        yield d
        assert d.errors == [], "the double itself crashed"


def make_client(double, retries=0, http_client=None, key="sk_test_double"):
    return stripe.StripeClient(
        key,
        base_addresses={"api": double.url},
        max_network_retries=retries,
        http_client=http_client or stripe.RequestsClient(timeout=5),
    )


@pytest.fixture
def sc(double):
    return make_client(double)


def session_params(**overrides):
    params = {
        "mode": "payment",
        "success_url": "http://127.0.0.1:5000/checkout/success?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://127.0.0.1:5000/basket",
        "client_reference_id": "42",
        "customer_email": "jo@example.com",
        "metadata": {"order_id": "42"},
        "payment_method_types": ["card"],
        "payment_intent_data": {"metadata": {"order_id": "42"}, "description": "Order 42"},
        "shipping_address_collection": {"allowed_countries": ["GB"]},
        "line_items": [
            {
                "quantity": 2,
                "price_data": {
                    "currency": "gbp",
                    "unit_amount": 1250,
                    "product_data": {"name": "Arnica massage balm", "metadata": {"sku": "AB-100"}},
                },
            },
            {
                "quantity": 1,
                "price_data": {"currency": "gbp", "unit_amount": 899, "product_data": {"name": "Warming gel"}},
            },
        ],
        "shipping_options": [
            {
                "shipping_rate_data": {
                    "type": "fixed_amount",
                    "display_name": "Royal Mail Tracked 48",
                    "fixed_amount": {"amount": 395, "currency": "gbp"},
                    "delivery_estimate": {
                        "minimum": {"unit": "business_day", "value": 2},
                        "maximum": {"unit": "business_day", "value": 3},
                    },
                }
            }
        ],
        "expires_at": NOW + 3600,
    }
    params.update(overrides)
    return params


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser(url, method="GET"):
    """(status, headers, body) without following redirects, like a form post would see."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with opener.open(request, timeout=5) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


# --------------------------------------------------------------------------- sessions


def test_create_retrieve_line_items_expire(double, sc):
    session = sc.v1.checkout.sessions.create(params=session_params(), options={"idempotency_key": "order-42-checkout"})

    assert session.object == "checkout.session" and session.id.startswith("cs_test_")
    assert isinstance(session, stripe.checkout.Session)
    assert (session.status, session.payment_status, session.mode, session.currency) == ("open", "unpaid", "payment", "gbp")
    assert session.amount_subtotal == 2 * 1250 + 899
    assert session.amount_total == 2 * 1250 + 899 + 395
    assert session.shipping_cost.amount_total == 395
    assert session.url == f"{double.url}/pay/{session.id}"
    assert session.metadata.order_id == "42" and session.client_reference_id == "42"
    assert session.payment_intent is None and session.collected_information is None
    assert double.sessions[session.id]["amount_total"] == session.amount_total

    # What went over the wire: nested form keys, decoded; leaves are strings.
    req = double.requests[-1]
    assert (req["method"], req["path"]) == ("POST", "/v1/checkout/sessions")
    assert req["params"]["line_items"][0]["price_data"]["product_data"]["name"] == "Arnica massage balm"
    assert req["params"]["line_items"][0]["quantity"] == "2"
    assert req["params"]["payment_method_types"] == ["card"]
    assert req["headers"]["Authorization"] == "Bearer sk_test_double"
    assert req["headers"]["Idempotency-Key"] == "order-42-checkout"
    assert req["headers"]["Stripe-Version"] == stripe.api_version

    again = sc.v1.checkout.sessions.retrieve(session.id, params={"expand": ["line_items"]})
    assert again.id == session.id and again.line_items.data[0].quantity == 2
    assert double.requests[-1]["params"] == {"expand": ["line_items"]}

    items = sc.v1.checkout.sessions.line_items.list(session.id)
    assert items.object == "list" and items.has_more is False
    first = items.data[0]
    assert (first.object, first.description, first.quantity, first.amount_total) == ("item", "Arnica massage balm", 2, 2500)
    assert (first.price.object, first.price.unit_amount, first.price.currency) == ("price", 1250, "gbp")
    assert [i.description for i in items.auto_paging_iter()] == ["Arnica massage balm", "Warming gel"]

    expired = sc.v1.checkout.sessions.expire(session.id)
    assert expired.status == "expired" and expired.url is None
    with pytest.raises(stripe.InvalidRequestError, match=r'Only Checkout Sessions with a status in \["open"\]'):
        sc.v1.checkout.sessions.expire(session.id)

    with pytest.raises(stripe.InvalidRequestError) as missing:
        sc.v1.checkout.sessions.retrieve("cs_test_nope")
    assert missing.value.http_status == 404 and missing.value.code == "resource_missing"
    assert "No such checkout.session: 'cs_test_nope'" in str(missing.value)


def test_urllib_client_works_too(double):
    client = make_client(double, http_client=stripe.UrllibClient())
    session = client.v1.checkout.sessions.create(params=session_params())
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"
    # urllib capitalises header names ("Idempotency-key"); the double stores one spelling.
    assert double.requests[0]["headers"]["Idempotency-Key"]


@pytest.mark.parametrize(
    "overrides, param",
    [
        ({"colour": "red"}, "colour"),
        (
            {"line_items": [{"quantity": 1, "price_data": {"currency": "gbp", "unit_amount": 100, "colour": "red",
                                                           "product_data": {"name": "x"}}}]},
            "line_items[0][price_data][colour]",
        ),
        ({"payment_intent_data": {"metadata": {"a": "b"}, "capture_method": "manual"}}, "payment_intent_data[capture_method]"),
    ],
)
def test_unknown_parameters_are_rejected(sc, overrides, param):
    with pytest.raises(stripe.InvalidRequestError) as err:
        sc.v1.checkout.sessions.create(params=session_params(**overrides))
    assert err.value.param == param
    assert err.value.http_status == 400
    assert f"Received unknown parameter: {param}" in err.value.user_message


@pytest.mark.parametrize(
    "overrides, param",
    [
        ({"mode": "subscription"}, "mode"),
        ({"customer_email": ""}, "customer_email"),  # the SDK sends "" as is; Stripe reads it as "unset"
        ({"line_items": [{"quantity": 1, "price_data": {"currency": "gbp", "unit_amount": 100,
                                                        "product_data": {"name": "x", "description": ""}}}]},
         "line_items[0][price_data][product_data][description]"),
        ({"success_url": None}, "success_url"),
        ({"expires_at": NOW + 20 * 60}, "expires_at"),
        ({"expires_at": NOW + 25 * 3600}, "expires_at"),
        ({"line_items": [{"quantity": 0, "price_data": {"currency": "gbp", "unit_amount": 100,
                                                        "product_data": {"name": "x"}}}]}, "line_items[0][quantity]"),
        ({"line_items": [{"quantity": 1, "price_data": {"currency": "gbp", "unit_amount": -1,
                                                        "product_data": {"name": "x"}}}]},
         "line_items[0][price_data][unit_amount]"),
        (
            {"line_items": [
                {"quantity": 1, "price_data": {"currency": "gbp", "unit_amount": 100, "product_data": {"name": "x"}}},
                {"quantity": 1, "price_data": {"currency": "eur", "unit_amount": 100, "product_data": {"name": "y"}}},
            ]},
            "line_items[1][price_data][currency]",
        ),
        ({"shipping_options": [{"shipping_rate_data": {"type": "fixed_amount", "display_name": "DHL",
                                                       "fixed_amount": {"amount": 500, "currency": "usd"}}}]},
         "shipping_options[0][shipping_rate_data][fixed_amount][currency]"),
    ],
)
def test_invalid_sessions_are_rejected(sc, double, overrides, param):
    with pytest.raises(stripe.InvalidRequestError) as err:
        sc.v1.checkout.sessions.create(params=session_params(**overrides))
    assert err.value.param == param
    assert double.sessions == {}


def test_expires_at_accepts_exactly_thirty_minutes(sc):
    session = sc.v1.checkout.sessions.create(params=session_params(expires_at=NOW + 30 * 60))
    assert session.status == "open"


def test_api_key_is_required(double):
    for key in ("sk_live_123", "pk_test_123", "nonsense"):
        with pytest.raises(stripe.AuthenticationError, match="Invalid API Key provided"):
            make_client(double, key=key).v1.checkout.sessions.create(params=session_params())
    assert make_client(double, key="rk_test_abc").v1.checkout.sessions.create(params=session_params()).id


# --------------------------------------------------------------------------- idempotency


def test_idempotent_replay_returns_the_same_session(double, sc):
    first = sc.v1.checkout.sessions.create(params=session_params(), options={"idempotency_key": "order-42-checkout"})
    second = sc.v1.checkout.sessions.create(params=session_params(), options={"idempotency_key": "order-42-checkout"})
    assert second.id == first.id
    assert list(double.sessions) == [first.id]
    assert second.last_response.headers["Idempotent-Replayed"] == "true"


def test_idempotency_key_reuse_with_different_params_is_an_error(double, sc):
    sc.v1.checkout.sessions.create(params=session_params(), options={"idempotency_key": "order-42-checkout"})
    with pytest.raises(stripe.IdempotencyError, match="can only be used with the same parameters"):
        sc.v1.checkout.sessions.create(
            params=session_params(customer_email="other@example.com"), options={"idempotency_key": "order-42-checkout"}
        )
    assert len(double.sessions) == 1


# --------------------------------------------------------------------------- fault injection


def test_status_500_surfaces_as_api_error(double, sc):
    double.fail_next.append(("status", 500))
    with pytest.raises(stripe.APIError) as err:
        sc.v1.checkout.sessions.create(params=session_params())
    assert err.value.http_status == 500
    assert double.sessions == {}
    assert sc.v1.checkout.sessions.create(params=session_params()).id  # the fault was used up


def test_status_402_surfaces_as_card_error(double, sc):
    double.fail_next.append(("status", 402))
    with pytest.raises(stripe.CardError) as err:
        sc.v1.checkout.sessions.create(params=session_params())
    assert err.value.code == "card_declined"


def test_dropped_connection_surfaces_as_api_connection_error(double, sc):
    double.fail_next.append(("drop",))
    with pytest.raises(stripe.APIConnectionError):
        sc.v1.checkout.sessions.create(params=session_params())
    assert double.requests[-1]["fault"] == ("drop",)


def test_slow_stripe_times_out(double):
    client = make_client(double, http_client=stripe.RequestsClient(timeout=0.3))
    double.fail_next.append(("delay", 1))
    with pytest.raises(stripe.APIConnectionError):
        client.v1.checkout.sessions.create(params=session_params())


def test_retries_recover_and_idempotency_prevents_duplicates(double):
    client = make_client(double, retries=2)
    double.fail_next.append(("status", 500))
    assert client.v1.checkout.sessions.create(params=session_params()).id
    # Stripe did the work but the answer was lost: the SDK retries with the same idempotency key.
    double.fail_next.append(("drop_after",))
    session = client.v1.checkout.sessions.create(params=session_params())
    assert len(double.sessions) == 2 and session.id in double.sessions
    assert double.requests[-1]["headers"]["Idempotency-Key"] == double.requests[-2]["headers"]["Idempotency-Key"]


# --------------------------------------------------------------------------- payment, refunds


def test_complete_then_refund(double, sc):
    session = sc.v1.checkout.sessions.create(params=session_params())
    done = double.complete(session.id)
    assert (done["status"], done["payment_status"]) == ("complete", "paid")
    assert done["collected_information"]["shipping_details"]["address"]["postal_code"] == "LS1 4AB"
    assert done["shipping_details"] == done["collected_information"]["shipping_details"]
    assert done["customer_details"]["email"] == "jo@example.com"

    fetched = sc.v1.checkout.sessions.retrieve(session.id)
    assert fetched.payment_intent == done["payment_intent"]
    pi = sc.v1.payment_intents.retrieve(fetched.payment_intent)
    assert (pi.object, pi.status, pi.amount, pi.currency) == ("payment_intent", "succeeded", session.amount_total, "gbp")
    assert pi.metadata.order_id == "42" and pi.latest_charge.startswith("ch_")

    refund = sc.v1.refunds.create(
        params={"payment_intent": pi.id, "amount": 1000, "reason": "requested_by_customer", "metadata": {"order_id": "42"}},
        options={"idempotency_key": "order-42-refund-1"},
    )
    assert (refund.object, refund.status, refund.amount, refund.charge) == ("refund", "succeeded", 1000, pi.latest_charge)
    assert double.refunds[refund.id]["metadata"] == {"order_id": "42"}

    with pytest.raises(stripe.InvalidRequestError) as too_much:
        sc.v1.refunds.create(params={"payment_intent": pi.id, "amount": session.amount_total})
    assert too_much.value.param == "amount"

    rest = sc.v1.refunds.create(params={"payment_intent": pi.id})  # default: whatever is left
    assert rest.amount == session.amount_total - 1000
    with pytest.raises(stripe.InvalidRequestError) as nothing_left:
        sc.v1.refunds.create(params={"payment_intent": pi.id, "amount": 1})
    assert nothing_left.value.code == "charge_already_refunded"

    with pytest.raises(stripe.InvalidRequestError, match="Received unknown parameter: amount_cents"):
        sc.v1.refunds.create(params={"payment_intent": pi.id, "amount_cents": 1})

    charge = double.refund_event(pi.id)["data"]["object"]
    assert (charge["object"], charge["refunded"], charge["amount_refunded"]) == ("charge", True, session.amount_total)


def test_delayed_payment_then_success(double, sc):
    session = sc.v1.checkout.sessions.create(params=session_params())
    assert double.complete(session.id, payment_status="unpaid", send_webhook=False)["payment_status"] == "unpaid"
    pi_id = double.sessions[session.id]["payment_intent"]
    assert sc.v1.payment_intents.retrieve(pi_id).status == "processing"
    assert double.succeed_async(session.id)["payment_status"] == "paid"
    assert sc.v1.payment_intents.retrieve(pi_id).status == "succeeded"


# --------------------------------------------------------------------------- webhooks


def test_signed_event_verifies_with_the_stripe_package(double):
    event = double.event("checkout.session.completed", {"id": "cs_test_1", "object": "checkout.session"})
    payload = json.dumps(event).encode()
    header = double.sign(payload)
    verified = stripe.Webhook.construct_event(payload, header, SECRET)
    assert verified.type == "checkout.session.completed" and verified.data.object.id == "cs_test_1"
    assert verified.id.startswith("evt_") and verified.api_version == stripe.api_version

    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, double.sign(payload, secret="whsec_wrong"), SECRET)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        stripe.Webhook.construct_event(payload, double.sign(payload, timestamp=int(time.time()) - 3600), SECRET)


@pytest.fixture
def webhook_receiver():
    """A tiny app stand-in that verifies Stripe signatures like the real app should."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            try:
                event = stripe.Webhook.construct_event(body, self.headers.get("Stripe-Signature"), SECRET)
            except stripe.SignatureVerificationError:
                self.send_response(400)
            else:
                received.append(event)
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/stripe/webhook", received
    server.shutdown()
    server.server_close()


def test_hosted_page_pay_delivers_a_signed_webhook(double, sc, webhook_receiver):
    double.webhook_url, received = webhook_receiver
    session = sc.v1.checkout.sessions.create(params=session_params())

    status, _, page = browser(session.url)
    assert status == 200
    assert "Stripe test double — no real payment" in page
    assert "Arnica massage balm" in page and "£37.94" in page
    assert f'action="/pay/{session.id}/pay"' in page and f'action="/pay/{session.id}/cancel"' in page

    status, headers, _ = browser(f"{double.url}/pay/{session.id}/cancel", "POST")
    assert (status, headers["Location"]) == (303, "http://127.0.0.1:5000/basket")
    assert double.sessions[session.id]["status"] == "open"

    status, headers, _ = browser(f"{double.url}/pay/{session.id}/pay", "POST")
    assert status == 303
    assert headers["Location"] == f"http://127.0.0.1:5000/checkout/success?session_id={session.id}"
    assert [e.type for e in received] == ["checkout.session.completed"]
    assert received[0].data.object.id == session.id and received[0].data.object.payment_status == "paid"
    assert double.deliveries[-1]["status"] == 200

    status, _, page = browser(f"{double.url}/pay/{session.id}/pay", "POST")
    assert status == 400 and "already complete" in page

    # A tampered body is refused by a correctly verifying app.
    forged = double.event("checkout.session.completed", {"id": "cs_forged", "object": "checkout.session"})
    double.webhook_secret = "whsec_not_the_apps"
    assert double.deliver(forged) == 400


def test_paying_an_expired_session_shows_an_error(double, sc, webhook_receiver):
    double.webhook_url, received = webhook_receiver
    session = sc.v1.checkout.sessions.create(params=session_params())
    double.expire_at_stripe(session.id)
    assert [e.type for e in received] == ["checkout.session.expired"]
    status, _, page = browser(f"{double.url}/pay/{session.id}/pay", "POST")
    assert status == 400 and "This checkout session has expired" in page
