"""Every failed form starts with one summary whose messages link to the fields in error."""
import html as entities
import re

from tests import factories as make
from tests.admin.support import post, signed_in
from tests.helpers import csrf_token, sign_in


def summary_links(html: str) -> dict[str, str]:
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S).group(0)
    return {entities.unescape(text): href for href, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)}


def test_a_bad_quantity_on_a_product_page_links_to_the_quantity(app, client):
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 5),))
    answer = client.post("/cart/add", data={"variant_id": oil.variants[0].id, "quantity": "0", "csrf_token": csrf_token(client)})
    assert answer.status_code == 400
    assert list(summary_links(answer.get_data(as_text=True)).values()) == ["quantity"]


def test_registration_and_sign_in_link_their_fields(app, client):
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/account/register").get_data(as_text=True)).group(1)
    answer = client.post("/account/register", data={"email": "", "password": "", "confirm": "x", "csrf_token": token})
    assert set(summary_links(answer.get_data(as_text=True)).values()) == {"email", "password", "confirm"}
    make.user("ann@example.com")
    wrong = sign_in(app.test_client(), "ann@example.com", "not the password")
    assert list(summary_links(wrong.get_data(as_text=True)).values()) == ["email"]


def test_back_office_forms_link_their_fields(app, client):
    signed_in(client)
    jo = make.user("jo@clinic.example", trade_status="pending")
    url = f"/admin/practitioners/{jo.trade_account.id}"
    assert summary_links(post(client, url + "/reject", {"reason": ""}, url).get_data(as_text=True)) == {
        "Give a reason for the rejection; the applicant is told it.": "reject-reason"}
    cream = make.product("Arnica Cream", sizes=((100, 1500, 4),))
    stock = f"/admin/stock/{cream.variants[0].id}"
    links = summary_links(post(client, stock + "/adjust", {"change": "5", "reason": "damaged", "note": ""}, stock).get_data(as_text=True))
    assert set(links.values()) == {"lot", "change", "note"}
    receive = post(client, "/admin/stock/receive", {"reference": "", "sku": ["", "NOPE-1"], "quantity": ["", "2"],
                                                    "lot": ["", "N1"], "pao": ["", "12"]})
    # The filled-in row comes first when the form is shown again, so "line 1" is row 1.
    assert summary_links(receive.get_data(as_text=True)) == {"Enter the supplier's delivery reference.": "reference",
                                                             "There is no size with SKU “NOPE-1”.": "sku-1"}
    assert 'id="sku-1" type="text" name="sku" value="NOPE-1"' in receive.get_data(as_text=True)
