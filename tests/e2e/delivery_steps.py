"""The cart's delivery chooser, as a buyer uses it in the browser (with its script: no reload)."""
import re

from playwright.sync_api import expect


def choose_delivery(page, postcode="LS1 1AA", method="Royal Mail Tracked 48"):
    """Type the postcode, ask for the options, pick `method`; waits until Checkout is open."""
    page.get_by_label("Delivery postcode").fill(postcode)
    page.get_by_role("button", name="Show options").click()
    radio = page.get_by_role("radio", name=re.compile("^" + re.escape(method)))
    radio.check()
    expect(page.get_by_role("radio", name=re.compile("^" + re.escape(method)))).to_be_checked()
    expect(page.get_by_role("button", name="Checkout")).to_be_enabled()
