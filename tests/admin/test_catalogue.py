"""Catalogue editing: products and sizes with safe prices, publishing, photos, guides, and the CSV import."""
import io

from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.catalog.models import Product, Variant
from shop.extensions import db
from shop.inventory.models import Lot, StockMovement
from tests import factories as make
from tests.admin.support import signed_in
from tests.helpers import assert_ledger_balances, page_token, stock_of

HEADER = "sku,product_slug,product_name,category,size_label,amount,unit,price,trade_price,low_stock_threshold,add_stock,lot,expires,pao_months\n"


def upload(client, url, name, data, **fields):
    return client.post(url, data={"csrf_token": page_token(client, url), **fields, name: (io.BytesIO(data), "file.csv")},
                       content_type="multipart/form-data")


def import_csv(client, text_or_bytes, mode="apply"):
    data = text_or_bytes.encode() if isinstance(text_or_bytes, str) else text_or_bytes
    return upload(client, "/admin/catalogue/import", "file", data, mode=mode)


def test_a_good_file_shows_a_dry_run_then_imports_everything(app, client):
    admin = signed_in(client)
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 5),))
    sku = oil.variants[0].sku
    csv = HEADER + (
        f"{sku},grapeseed-oil,,,100 ml,100,ml,7.49,5.50,8,12,gs-77,2031-05-31,\n"
        "GEL-NEW-0100,cooling-gel,Cooling Gel,creams,100 ml,100,ml,9.99,,5,20,CG1,,18\n"
        "GEL-NEW-0500,cooling-gel,Cooling Gel,creams,500 ml,500,ml,29.00,22.00,3,0\n"
    )
    dry = import_csv(client, csv, mode="dry-run")
    assert dry.status_code == 200
    text = dry.get_data(as_text=True)
    assert "Dry run" in text
    assert f"{sku}: price £6.99 → £7.49" in text and f"{sku}: receive 12 units into lot GS-77" in text
    assert "New product Cooling Gel (cooling-gel), unpublished" in text and "New size GEL-NEW-0500 (500 ml) at £29.00" in text
    assert db.session.scalar(select(Variant).where(Variant.sku == "GEL-NEW-0100")) is None  # a dry run writes nothing
    assert stock_of(oil.variants[0].id) == 5

    done = import_csv(client, csv)
    assert done.status_code == 200 and "Imported" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Variant, oil.variants[0].id).price_pence == 749
    assert db.session.get(Variant, oil.variants[0].id).trade_price_pence == 550
    assert stock_of(oil.variants[0].id) == 17
    gel = db.session.scalar(select(Product).where(Product.slug == "cooling-gel"))
    assert not gel.published and [(v.sku, v.price_pence, v.stock_on_hand) for v in gel.variants] == [
        ("GEL-NEW-0100", 999, 20), ("GEL-NEW-0500", 2900, 0)]
    assert db.session.scalars(select(StockMovement.user_id).where(StockMovement.reason == "received")).all() == [admin.id, admin.id]
    lots = {lot.code: lot for lot in db.session.scalars(select(Lot))}
    assert (lots["GS-77"].expires_on.isoformat(), lots["GS-77"].on_hand) == ("2031-05-31", 12)
    assert (lots["CG1"].pao_months, lots["CG1"].on_hand) == (18, 20)
    assert_ledger_balances()
    assert db.session.scalars(select(AuditEntry.action)).all() == ["catalogue.import"]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(app, client):
    signed_in(client)
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 5),))
    sku = oil.variants[0].sku
    csv = HEADER + (
        f"{sku},grapeseed-oil,,,100 ml,100,ml,7.49,,5,\n"          # line 2: fine
        "NEW-0001,grapeseed-oil,,,50 ml,50,ml,-1.00,,5,\n"        # line 3: negative price
        "NEW-0002,grapeseed-oil,,,50 ml,fifty,ml,4.999,,5,\n"     # line 4: amount and price
        "NEW-0003,grapeseed-oil,,,50 ml,50,litres,4.00,5.00,5,\n"  # line 5: unit, trade above retail
        "NEW-0004,new-thing,New Thing,nowhere,50 ml,50,ml,4.00,,5,3x\n"  # line 6: category, add_stock
        "NEW-0005,grapeseed-oil,,,25 ml,25,ml,3.00,,5,4,,2031-01-01,\n"  # line 7: stock with no lot
        "NEW-0006,grapeseed-oil,,,30 ml,30,ml,3.00,,5,4,L9,31/13/2031,\n"  # line 8: not a date
        "NEW-0007,grapeseed-oil,,,35 ml,35,ml,3.00,,5,4,L9,,\n"  # line 9: neither expiry nor PAO
    )
    response = import_csv(client, csv)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Nothing was imported" in text
    for expected in ("Line 3: The price cannot be negative.", "Line 4: the amount must be a whole number",
                     "Line 4: The price can have at most two decimal places", "Line 5: the unit must be ml or g.",
                     "Line 5: the trade price is more than the retail price.", "Line 6: a new product needs a category",
                     "Line 6: add_stock must be a whole number", "Line 7: enter the lot code printed on the container.",
                     "Line 8: “31/13/2031” is not a date", "Line 9: enter the expiry date, or the period after opening"):
        assert expected in text, expected
    assert "Line 2" not in text
    db.session.expire_all()
    assert db.session.get(Variant, oil.variants[0].id).price_pence == 699  # the good row was not written either
    assert db.session.scalar(select(Product).where(Product.slug == "new-thing")) is None


def test_duplicate_skus_in_the_file_or_taken_by_another_product_are_refused(app, client):
    signed_in(client)
    other = make.product("Balm", slug="balm", sizes=((50, 899, 5),))
    csv = HEADER + (
        "DUP-0001,grapeseed-oil,Grapeseed Oil,creams,100 ml,100,ml,7.00,,5,\n"
        "DUP-0001,grapeseed-oil,Grapeseed Oil,creams,250 ml,250,ml,12.00,,5,\n"
        f"{other.variants[0].sku},grapeseed-oil,Grapeseed Oil,creams,500 ml,500,ml,20.00,,5,\n"
    )
    response = import_csv(client, csv)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Line 3: SKU DUP-0001 is also on line 2" in text
    assert f"Line 4: SKU {other.variants[0].sku} belongs to balm, not grapeseed-oil." in text
    assert db.session.scalar(select(Variant).where(Variant.sku == "DUP-0001")) is None


def test_wrong_encoding_and_huge_files_are_refused_with_a_clear_message(app, client):
    signed_in(client)
    latin1 = (HEADER + "CRM-0001,creme,Crème apaisante,creams,50 ml,50,ml,4.00,,5,\n").encode("latin-1")
    response = import_csv(client, latin1)
    assert response.status_code == 422
    assert "not UTF-8 text" in response.get_data(as_text=True) and "CSV UTF-8" in response.get_data(as_text=True)

    huge = HEADER.encode() + b"X" * (1024 * 1024 + 10)
    response = import_csv(client, huge)
    assert response.status_code == 422
    assert "the most we import at once is 1 MB" in response.get_data(as_text=True)

    response = import_csv(client, "name,price\nOil,1.00\n")
    assert response.status_code == 422 and "missing: sku" in response.get_data(as_text=True)
    assert db.session.query(Variant).count() == 0


def test_editing_sizes_takes_prices_in_pounds_safely_and_keeps_skus_unique(app, client):
    signed_in(client)
    product = make.product("Balm", sizes=((50, 899, 5),))
    taken = make.product("Other", sizes=((50, 899, 5),)).variants[0].sku
    url = f"/admin/products/{product.id}"
    variant = product.variants[0]
    base = {"sku": variant.sku, "size_label": "50 g", "amount": "50", "unit": "g", "trade_price": "", "low_stock_threshold": "4"}

    for price, message in (("-1", "cannot be negative"), ("9.999", "two decimal places"), ("nine", "not an amount of money"),
                           ("", "Enter the price")):
        response = client.post(f"{url}/variants/{variant.id}", data={"csrf_token": page_token(client, url), **base, "price": price})
        assert response.status_code == 422 and message in response.get_data(as_text=True), price
    response = client.post(f"{url}/variants/{variant.id}", data={"csrf_token": page_token(client, url), **base, "price": "9.50", "sku": taken})
    assert response.status_code == 422 and f"SKU {taken} is already used" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Variant, variant.id).price_pence == 899

    ok = client.post(f"{url}/variants/{variant.id}", data={"csrf_token": page_token(client, url), **base, "price": "£9.50", "trade_price": "7"})
    assert ok.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Variant, variant.id)
    assert (saved.price_pence, saved.trade_price_pence, saved.low_stock_threshold, saved.unit) == (950, 700, 4, "g")
    assert saved.stock_on_hand == 5  # editing never touches stock
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "variant.update")).one()
    assert '"price_pence": 899' in entry.before_json and '"price_pence": 950' in entry.after_json

    new = client.post(f"{url}/variants", data={"csrf_token": page_token(client, url), **base, "sku": "BALM-0500", "size_label": "500 g",
                                                 "amount": "500", "price": "39.00"})
    assert new.status_code == 303
    assert db.session.scalar(select(Variant).where(Variant.sku == "BALM-0500")).stock_on_hand == 0


def test_unpublishing_hides_the_product_from_the_shop(app, client):
    signed_in(client)
    product = make.product("Balm", slug="quiet-balm")
    url = f"/admin/products/{product.id}"
    assert client.get("/products/quiet-balm").status_code == 200
    assert client.post(url + "/publish", data={"csrf_token": page_token(client, url), "published": "0"}).status_code == 303
    assert client.get("/products/quiet-balm").status_code == 404
    assert client.post(url + "/publish", data={"csrf_token": page_token(client, url), "published": "1"}).status_code == 303
    assert client.get("/products/quiet-balm").status_code == 200


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_photos_are_type_and_size_checked_and_stored_under_our_own_name(app, client):
    signed_in(client)
    product = make.product("Balm", slug="balm")
    url = f"/admin/products/{product.id}"

    def send(data, filename):
        return client.post(url + "/image", data={"csrf_token": page_token(client, url), "image": (io.BytesIO(data), filename)},
                           content_type="multipart/form-data")

    assert send(b"<svg onload=alert(1)>", "photo.png").status_code == 422
    big = send(PNG + b"\x00" * (2 * 1024 * 1024), "big.png")
    assert big.status_code == 422 and "the most is 2 MB" in big.get_data(as_text=True)
    assert send(PNG, "../../etc/passwd.png").status_code == 303
    db.session.expire_all()
    name = db.session.get(Product, product.id).image_filename
    assert name.startswith("balm-") and name.endswith(".png") and "/" not in name
    from pathlib import Path

    assert (Path(app.instance_path) / "product-images" / name).read_bytes() == PNG
    page = client.get("/products/balm").get_data(as_text=True)
    assert f"/product-images/{name}" in page
    # The photo replaces the generated artwork on the listing's cards too.
    assert f"/product-images/{name}" in client.get("/products").get_data(as_text=True)
    served = client.get(f"/product-images/{name}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert client.get("/product-images/..%2Fshop.db").status_code == 404


def test_guides_are_previewed_sanitised_and_saved_with_their_products(app, client):
    signed_in(client)
    product = make.product("Balm")
    url = "/admin/guides/new"
    body = "## Warm up\n\nUse **gentle** strokes.\n\n<script>alert(1)</script>[bad](javascript:alert(1))"
    data = {"csrf_token": page_token(client, url), "title": "Warming up", "slug": "", "summary": "Before a massage.",
            "body": body, "product_ids": [str(product.id)], "published": "1"}
    preview = client.post(url, data={**data, "action": "preview"})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<h2>Warm up</h2>" in text and "<strong>gentle</strong>" in text
    assert "<script>alert" not in text and 'href="javascript' not in text
    from shop.guides.models import Guide

    assert db.session.query(Guide).count() == 0  # a preview saves nothing
    saved = client.post(url, data={**data, "action": "save"})
    assert saved.status_code == 303
    guide = db.session.scalars(select(Guide)).one()
    assert guide.slug == "warming-up" and [p.id for p in guide.products] == [product.id]
    shown = client.get("/guides/warming-up").get_data(as_text=True)
    assert "Use <strong>gentle</strong> strokes." in shown and "<script>alert" not in shown


def test_the_product_search_takes_percent_and_underscore_as_typed(app, client):
    signed_in(client)
    for name in ("Menthol 20% Rub", "Cooling Gel 200", "Arnica Cream"):
        make.product(name)
    found = client.get("/admin/products?q=20%25").get_data(as_text=True)
    assert "Menthol 20% Rub" in found and "Cooling Gel 200" not in found
    # "_" is a letter someone typed, not "any one character".
    assert "No products match." in client.get("/admin/products?q=Arn_ca").get_data(as_text=True)
    assert "Arnica Cream" in client.get("/admin/products?q=arnica").get_data(as_text=True)
