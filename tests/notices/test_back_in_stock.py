"""'Email me when it's back' on a sold-out size: asking, confirming, one notice when stock returns, unsubscribing."""
import re

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.inventory.services import adjust_stock, receive_delivery, return_to_stock
from shop.messages.models import Message
from shop.notices.models import BackInStockRequest
from tests import factories as make
from tests.helpers import csrf_token, email_subjects, links_in_outbox, outbox, sign_in, tampered


@pytest.fixture
def balm(app):
    """Arnica Balm: the 50 ml is in stock, the 250 ml and the 1 kg are sold out."""
    return make.product("Arnica Balm", slug="arnica-balm", sizes=((50, 899, 6), (250, 2499, 0), (1000, 6999, 0)))


@pytest.fixture
def admin(app):
    return make.user("stock@example.com", role="admin")


def ask(client, variant, email=None, next_path="/products/arnica-balm"):
    data = {"variant_id": variant.id, "next": next_path, "csrf_token": csrf_token(client)}
    if email is not None:
        data["email"] = email
    return client.post("/back-in-stock", data=data)


def waiting(variant) -> list[str]:
    db.session.expire_all()
    return db.session.scalars(select(BackInStockRequest.email).where(BackInStockRequest.variant_id == variant.id)
                              .order_by(BackInStockRequest.email)).all()


def confirm_as_guest(app, client, variant, email):
    assert ask(client, variant, email).status_code == 200
    link = links_in_outbox(app, "/back-in-stock/confirm/")[-1]
    page = client.get(link)
    assert page.status_code == 200 and "You're on the list" in page.get_data(as_text=True)


def notices_to(app, email) -> list[str]:
    return [subject for to, subject in email_subjects(app) if to == email and subject.startswith("Back in stock")]


def test_a_guest_confirms_with_the_link_we_email_before_they_are_on_the_list(app, client, balm):
    _, large, _ = balm.variants
    page = client.get("/products/arnica-balm").get_data(as_text=True)
    assert page.count('data-back-in-stock="') == 2  # the two sold-out sizes, not the 50 ml
    assert f'data-back-in-stock="{large.id}"' in page and f'data-back-in-stock="{balm.variants[0].id}"' not in page

    response = ask(client, large, "  Sam@Example.com ")
    assert response.status_code == 200
    assert "We've sent a link to <strong>sam@example.com</strong>" in response.get_data(as_text=True)
    assert waiting(large) == []  # nobody is signed up by someone typing their address
    assert email_subjects(app) == [("sam@example.com", "Confirm: email me when Arnica Balm (250 ml) is back")]

    [link] = links_in_outbox(app, "/back-in-stock/confirm/")
    assert client.get(tampered(link)).status_code == 400  # a tampered link signs nobody up
    assert waiting(large) == []
    assert "You're on the list" in client.get(link).get_data(as_text=True)
    client.get(link)  # following it twice keeps one request
    assert waiting(large) == ["sam@example.com"]


def test_a_signed_in_customer_with_a_confirmed_email_asks_in_one_click(app, client, balm):
    make.user("jo@example.com")
    sign_in(client, "jo@example.com", make.PASSWORD)
    _, large, _ = balm.variants
    page = client.get("/products/arnica-balm").get_data(as_text=True)
    assert "Email me when 250 ml is back" in page and 'id="back-in-stock-email-' not in page  # no address to type

    response = ask(client, large)
    assert response.status_code == 303 and response.headers["Location"].endswith("/products/arnica-balm")
    ask(client, large)
    assert waiting(large) == ["jo@example.com"]
    assert "We'll email you when 250 ml is back." in client.get("/products/arnica-balm").get_data(as_text=True)
    assert outbox(app) == []  # nothing to confirm: the address is confirmed already


@pytest.mark.parametrize("restock", ["delivery", "adjustment", "return"])
def test_stock_coming_back_sends_each_subscriber_one_notice_and_ends_their_request(app, client, balm, admin, restock):
    _, large, kilo = balm.variants
    for email in ("sam@example.com", "ali@example.com"):
        confirm_as_guest(app, client, large, email)
    confirm_as_guest(app, client, kilo, "kim@example.com")
    outbox(app)

    if restock == "delivery":
        receive_delivery([make.lot_line(large.sku, 12)], "PO-77", actor=admin)
    elif restock == "adjustment":
        adjust_stock(large.id, 3, "count_correction", "found a box behind the shelf", actor=admin)
    else:
        return_to_stock({large.id: 1}, order_id=None, user_id=None, note="unopened")
        db.session.commit()

    assert notices_to(app, "sam@example.com") == notices_to(app, "ali@example.com") == ["Back in stock: Arnica Balm (250 ml)"]
    assert notices_to(app, "kim@example.com") == []  # the 1 kg is still at zero
    assert waiting(large) == [] and waiting(kilo) == ["kim@example.com"]
    assert any(link.startswith("/products/arnica-balm") for link in links_in_outbox(app, "/products/"))

    receive_delivery([make.lot_line(large.sku, 5)], "PO-78", actor=admin)  # more stock on top of stock: nobody is waiting
    assert len(notices_to(app, "sam@example.com")) == 1 and len(notices_to(app, "ali@example.com")) == 1


def test_the_unsubscribe_link_in_a_notice_asks_first_then_stops_every_back_in_stock_email(app, client, balm, admin):
    _, large, kilo = balm.variants
    confirm_as_guest(app, client, large, "sam@example.com")
    confirm_as_guest(app, client, kilo, "sam@example.com")
    receive_delivery([make.lot_line(large.sku, 2)], "PO-1", actor=admin)
    [unsubscribe] = links_in_outbox(app, "/back-in-stock/unsubscribe/")
    from email import message_from_bytes, policy

    notice = message_from_bytes(outbox(app)[-1].read_bytes(), policy=policy.default)
    header = notice["List-Unsubscribe"]
    assert header.startswith("<http") and "/back-in-stock/one-click/" in header
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = header[1:-1].split("://", 1)[1].split("/", 1)[1]
    # A person who opens the header's link is asked first, on the page the email's own link opens.
    asked = client.get("/" + one_click)
    assert asked.headers["Location"] == "/back-in-stock/unsubscribe/" + one_click.rsplit("/", 1)[1]
    assert "Stop back-in-stock emails?" in client.get(asked.headers["Location"]).get_data(as_text=True)

    page = client.get(unsubscribe)
    assert page.status_code == 200 and "Stop back-in-stock emails?" in page.get_data(as_text=True)
    assert waiting(kilo) == ["sam@example.com"]  # a mail scanner following the link changes nothing
    done = client.post(unsubscribe, data={"csrf_token": csrf_token(client)})
    assert done.status_code == 200 and "You're unsubscribed" in done.get_data(as_text=True)
    assert waiting(kilo) == []

    receive_delivery([make.lot_line(kilo.sku, 2)], "PO-2", actor=admin)
    assert notices_to(app, "sam@example.com") == ["Back in stock: Arnica Balm (250 ml)"]
    assert client.get(unsubscribe.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 400


def test_a_mail_programs_one_click_unsubscribe_needs_no_cookie_or_form_token(app, client, balm, admin):
    """RFC 8058: the mail program POSTs `List-Unsubscribe=One-Click` to the header's link itself."""
    _, large, kilo = balm.variants
    confirm_as_guest(app, client, large, "sam@example.com")
    confirm_as_guest(app, client, kilo, "sam@example.com")
    receive_delivery([make.lot_line(large.sku, 2)], "PO-1", actor=admin)
    from email import message_from_bytes, policy

    header = message_from_bytes(outbox(app)[-1].read_bytes(), policy=policy.default)["List-Unsubscribe"]
    path = "/" + header[1:-1].split("://", 1)[1].split("/", 1)[1]
    mail_program = app.test_client()  # no session, no cookie, no CSRF token

    assert mail_program.post(path, data={}).status_code == 400  # not a one-click request: nothing changes
    assert mail_program.post(path.replace("/one-click/", "/one-click/x"), data={"List-Unsubscribe": "One-Click"}).status_code == 400
    assert waiting(kilo) == ["sam@example.com"]
    done = mail_program.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and waiting(kilo) == []
    assert mail_program.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200  # a retry is harmless


@pytest.mark.parametrize("typed", ["", "sam", "sam@example", "sam @example.com", "x" * 250 + "@example.com"])
def test_a_bad_email_gets_a_clear_message_and_nothing_is_sent(app, client, balm, typed):
    _, large, _ = balm.variants
    response = ask(client, large, typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter your email address, like name@example.com" in page
    assert re.search(r'<input id="email"[^>]*aria-invalid="true"', page)
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0 and waiting(large) == []


def test_asking_about_a_size_in_stock_or_not_in_the_shop_is_refused_with_a_reason(app, client, balm):
    small = balm.variants[0]
    in_stock = ask(client, small, "sam@example.com")
    assert in_stock.status_code == 409 and "is in stock now" in in_stock.get_data(as_text=True)
    gone = client.post("/back-in-stock", data={"variant_id": "999999", "email": "sam@example.com", "csrf_token": csrf_token(client)})
    assert gone.status_code == 404 and "That size is not in the shop." in gone.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0


def test_the_care_plan_page_and_the_cart_offer_it_on_a_sold_out_size(app, client, balm):
    from shop.careplans.models import CarePlan, CarePlanItem

    small, large, _ = balm.variants
    jo = make.user("jo@clinic.example", trade_status="approved")
    plan = CarePlan(practitioner_id=jo.id, title="Knee", items=[CarePlanItem(variant_id=large.id), CarePlanItem(variant_id=small.id)])
    db.session.add(plan)
    db.session.commit()
    page = client.get(f"/plan/{plan.token}").get_data(as_text=True)
    # inside the plan's own form the controls belong to a form written after it: forms cannot nest
    assert f'form="back-in-stock-{large.id}"' in page and f'<form id="back-in-stock-{large.id}"' in page
    assert page.index(f'<form id="back-in-stock-{large.id}"') > page.index("Add the plan to my cart")
    assert f"back-in-stock-{small.id}" not in page

    client.post("/cart/add", data={"variant_id": small.id, "quantity": 1, "csrf_token": csrf_token(client)})
    large.stock_on_hand = 1
    db.session.commit()
    client.post("/cart/add", data={"variant_id": large.id, "quantity": 1, "csrf_token": csrf_token(client)})
    large.stock_on_hand = 0  # sold to someone else while it sat in this cart
    db.session.commit()
    cart = client.get("/cart").get_data(as_text=True)
    assert f'data-back-in-stock="{large.id}"' in cart and f'data-back-in-stock="{small.id}"' not in cart
