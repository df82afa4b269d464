"""The audit log in the shop's own words: labels for fields and actions, money as £13.49.

Entries keep the stored keys (price_pence, stock_on_hand); they become words only here, at the edge,
so old entries read as well as new ones.
"""
import json

from shop.money import format_money

ACTIONS = {
    "product.create": "Created product",
    "product.update": "Edited product",
    "product.publish": "Published product",
    "product.unpublish": "Hid product from the shop",
    "product.image": "New product photo",
    "variant.create": "Added size",
    "variant.update": "Edited size",
    "catalogue.import": "Imported catalogue CSV",
    "catalogue.seed": "Loaded the demo catalogue",
    "guide.create": "Created guide",
    "guide.update": "Edited guide",
    "stock.receive": "Received delivery",
    "stock.adjust": "Adjusted stock",
    "order.ship": "Marked order shipped",
    "order.cancel": "Cancelled order",
    "order.refund": "Refunded order",
    "trade.approve": "Approved trade account",
    "trade.reject": "Rejected trade application",
    "trade.suspend": "Suspended trade account",
    "trade.discount": "Set patient discount",
    "account.admin": "Made an admin",
    "account.second_factor": "Second factor",
    "account.erase": "Erased personal data",
    "account.export": "Exported personal data",
    "message.resend": "Sent an email again",
    "clinic.invite": "Invited to a clinic",
    "clinic.invite_revoke": "Withdrew a clinic invitation",
    "clinic.join": "Joined a clinic",
    "clinic.member": "Changed a clinic member",
    "clinic.remove": "Removed from a clinic",
    "clinic.site_add": "Added a clinic delivery address",
    "clinic.site_remove": "Removed a clinic delivery address",
    "clinic.approval_request": "Asked to go over a monthly limit",
    "clinic.approve": "Approved an order over a limit",
    "clinic.decline": "Declined an order over a limit",
}

LABELS = {
    "price_pence": "Price",
    "trade_price_pence": "Trade price",
    "refunded_pence": "Refunded in all",
    "stock_on_hand": "Stock on hand",
    "low_stock_threshold": "Low-stock threshold",
    "size_label": "Size",
    "sku": "SKU",
    "amount": "Amount (ml or g)",
    "is_professional": "Professional size",
    "slug": "Address name",
    "category_id": "Category",
    "flag_ids": "Suitability and allergens",
    "flags": "Suitability and allergens",
    "guide_ids": "Linked guides",
    "guides": "Linked guides",
    "products": "Products mentioned",
    "how_to_use": "How to use",
    "for_home_care": "For home care",
    "for_practice": "For practice",
    "featured": "Featured on the home page",
    "published": "Published in the shop",
    "container": "Artwork container",
    "colour": "Artwork colour",
    "tint": "Artwork tint",
    "image": "Photo",
    "body": "Text",
    "shipped_at": "Shipped",
    "tracking_number": "Tracking number",
    "refund": "Gateway refund id",
    "returned_to_stock": "Back in stock",
    "patient_discount_percent": "Patient discount (%)",
    "reason": "Reason",
    "role": "Role",
    "status": "Status",
    "changes": "Changes",
    "case_quantity": "Sold in cases of",
    "price_breaks": "Volume prices (trade)",
    "monthly_limit_pence": "Monthly limit",
    "spent_pence": "Spent this month",
}
LONG_TEXT = 120  # longer texts (descriptions, guide bodies) are summarised, not printed twice


def action_label(action: str) -> str:
    return ACTIONS.get(action, action.replace(".", " ").replace("_", " ").capitalize())


def field_label(field: str) -> str:
    return LABELS.get(field) or field.removesuffix("_pence").replace("_", " ").capitalize()


def shown(field: str, value) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field.endswith("_pence") and isinstance(value, int):
        return format_money(value)
    if field == "price_breaks" and isinstance(value, list):  # [[6, 1250], [12, 1180]]
        return "; ".join(f"from {quantity}: {format_money(pence)}" for quantity, pence in value)
    if isinstance(value, list):
        return ", ".join(shown("", v) for v in value)
    if isinstance(value, dict):  # entries written before sizes were named: {"94": 3}
        return ", ".join(f"{units} × size #{key}" for key, units in value.items())
    return str(value)


def changes(entry) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field that changed, in words; unchanged fields are left out."""
    before, after = json.loads(entry.before_json or "{}"), json.loads(entry.after_json or "{}")
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        old_text, new_text = shown(key, old), shown(key, new)
        if old_text == new_text:  # older entries kept every field, changed or not
            continue
        if max(len(old_text), len(new_text)) > LONG_TEXT:
            rows.append((field_label(key), f"{len(old_text):,} characters" if old is not None else "—",
                         f"changed, now {len(new_text):,} characters"))
        else:
            rows.append((field_label(key), old_text, new_text))
    return rows
