"""Customers, invoice items and invoices for the Stripe double (tests/stripe/double.py mixes this in).

What it covers, as Stripe answers it: ``POST /v1/customers``, ``GET /v1/customers/<id>``;
``POST /v1/invoiceitems`` (onto a draft invoice of the same customer and currency, with ``amount`` or
``quantity`` × ``unit_amount_decimal``); ``POST /v1/invoices`` (``send_invoice`` needs
``days_until_due``), ``GET /v1/invoices/<id>``, ``POST /v1/invoices/<id>/finalize`` (numbers it, sets
``due_date`` and ``hosted_invoice_url``), ``/send`` (only ``send_invoice`` invoices that are open) and
``/void`` (only open ones). Unknown parameters are refused as Stripe refuses them. One invoice-level
``discounts`` coupon comes off the discountable items. A hosted invoice page at ``/invoice/<id>`` has a
Pay button; ``pay_invoice``, ``fail_invoice_payment`` and ``invoice_event`` are "what happens at Stripe".
"""
from __future__ import annotations

import copy
import html
import re
import urllib.parse

# double.py imports this module after defining these (and before StripeDouble, which mixes it in).
from tests.stripe.double import (  # noqa: I001
    _ApiError, _B, _EXPAND, _I, _M, _S, _Arr, _Obj, _Str, _invalid, _missing, _new_id, _no_such, format_amount,
)

CUSTOMER_CREATE_PARAMS = _Obj({"name": _Str(max_length=256), "email": _Str(max_length=512), "description": _S,
                               "metadata": _M, "phone": _S, "expand": _EXPAND})
INVOICE_ITEM_CREATE_PARAMS = _Obj({
    "customer": _S, "invoice": _S, "currency": _S, "amount": _I, "unit_amount_decimal": _S, "quantity": _I,
    "description": _Str(max_length=500), "discountable": _B, "metadata": _M, "expand": _EXPAND,
})
INVOICE_CREATE_PARAMS = _Obj({
    "customer": _S, "collection_method": _Str(enum=("charge_automatically", "send_invoice")), "days_until_due": _I,
    "due_date": _I, "auto_advance": _B, "currency": _S, "description": _Str(max_length=1500), "metadata": _M,
    "pending_invoice_items_behavior": _Str(enum=("exclude", "include")), "footer": _S,
    "discounts": _Arr(_Obj({"coupon": _S, "promotion_code": _S, "discount": _S})), "expand": _EXPAND,
})
FINALIZE_PARAMS = _Obj({"auto_advance": _B, "expand": _EXPAND})
EXPAND_ONLY = _Obj({"expand": _EXPAND})
DAY = 24 * 3600


class InvoicesDouble:
    """Mixed into StripeDouble: uses its lock, clock, coupons, events and page helpers."""

    def _init_invoices(self):
        self.customers: dict[str, dict] = {}
        self.invoices: dict[str, dict] = {}
        self.invoice_items: dict[str, dict] = {}
        self._invoice_count = 0

    def _invoice_stores(self):
        return (self.customers, self.invoices, self.invoice_items)

    # ----------------------------------------------------------------- API (lock held)

    def _route_invoices(self, method, parts, params):
        match (method, parts):
            case ("POST", ["customers"]):
                return self._create_customer(CUSTOMER_CREATE_PARAMS.check(params, []))
            case ("GET", ["customers", cid]):
                EXPAND_ONLY.check(params, [])
                return copy.deepcopy(self._customer(cid, status=404))
            case ("POST", ["invoiceitems"]):
                return self._create_invoice_item(INVOICE_ITEM_CREATE_PARAMS.check(params, []))
            case ("POST", ["invoices"]):
                return self._create_invoice(INVOICE_CREATE_PARAMS.check(params, []))
            case ("GET", ["invoices", iid]):
                EXPAND_ONLY.check(params, [])
                return copy.deepcopy(self._invoice(iid))
            case ("POST", ["invoices", iid, "finalize"]):
                return self._finalize(self._invoice(iid), FINALIZE_PARAMS.check(params, []))
            case ("POST", ["invoices", iid, "send"]):
                EXPAND_ONLY.check(params, [])
                return self._send_invoice(self._invoice(iid))
            case ("POST", ["invoices", iid, "void"]):
                EXPAND_ONLY.check(params, [])
                return self._void(self._invoice(iid))
        return None

    def _customer(self, cid, status=400, param=None):
        if cid not in self.customers:
            raise _no_such("customer", cid, status=status, param=param)
        return self.customers[cid]

    def _invoice(self, iid, status=404, param=None):
        if iid not in self.invoices:
            raise _no_such("invoice", iid, status=status, param=param)
        return self.invoices[iid]

    def _create_customer(self, p):
        if p.get("email") is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", p["email"]):
            raise _invalid("email", f"Invalid email address: {p['email']}", code="email_invalid")
        customer = {"id": _new_id("cus_", 14), "object": "customer", "created": self._now(), "email": p.get("email"),
                    "name": p.get("name"), "description": p.get("description"), "metadata": p.get("metadata", {}),
                    "livemode": False, "invoice_prefix": _new_id("", 8).upper()}
        self.customers[customer["id"]] = customer
        return copy.deepcopy(customer)

    def _create_invoice(self, p):
        if not p.get("customer"):
            raise _missing("customer")
        customer = self._customer(p["customer"], param="customer")
        method = p.get("collection_method", "charge_automatically")
        if method == "send_invoice" and p.get("days_until_due") is None and p.get("due_date") is None:
            raise _invalid("days_until_due", "Invoices with collection_method=send_invoice must have a due_date or "
                                             "days_until_due.", code="parameter_missing")
        if method != "send_invoice" and (p.get("days_until_due") is not None or p.get("due_date") is not None):
            raise _invalid("days_until_due", "Only invoices with collection_method=send_invoice can have days_until_due "
                                             "or due_date.")
        if p.get("days_until_due") is not None and not 0 <= p["days_until_due"] <= 3650:
            raise _invalid("days_until_due", "This value must be between 0 and 3650.", code="parameter_invalid_integer")
        discounts = p.get("discounts") or []
        for n, entry in enumerate(discounts):
            if (entry.get("coupon") or "") not in self.coupons:
                raise _no_such("coupon", entry.get("coupon"), status=400, param=f"discounts[{n}][coupon]")
        now = self._now()
        invoice = {
            "id": _new_id("in_"), "object": "invoice", "customer": customer["id"], "customer_email": customer["email"],
            "customer_name": customer["name"], "collection_method": method, "days_until_due": p.get("days_until_due"),
            "due_date": p.get("due_date"), "auto_advance": p.get("auto_advance", method == "charge_automatically"),
            "currency": self._currency(p.get("currency") or "gbp", "currency"), "description": p.get("description"),
            "metadata": p.get("metadata", {}), "discounts": [d["coupon"] for d in discounts], "status": "draft",
            "number": None, "hosted_invoice_url": None, "invoice_pdf": None, "livemode": False, "created": now,
            "lines": {"object": "list", "data": [], "has_more": False, "url": ""}, "subtotal": 0, "total": 0,
            "total_discount_amounts": [], "amount_due": 0, "amount_paid": 0, "amount_remaining": 0, "attempt_count": 0,
            "status_transitions": {"finalized_at": None, "paid_at": None, "voided_at": None, "marked_uncollectible_at": None},
            "sent_to": None,
        }
        invoice["lines"]["url"] = f"/v1/invoices/{invoice['id']}/lines"
        self.invoices[invoice["id"]] = invoice
        return copy.deepcopy(invoice)

    def _create_invoice_item(self, p):
        if not p.get("customer"):
            raise _missing("customer")
        customer = self._customer(p["customer"], param="customer")
        if not p.get("currency") and not p.get("invoice"):
            raise _missing("currency")
        if p.get("amount") is not None and p.get("unit_amount_decimal") is not None:
            raise _invalid("amount", "You may only specify one of these parameters: amount, unit_amount_decimal.")
        if p.get("amount") is None and p.get("unit_amount_decimal") is None:
            raise _missing("amount")
        quantity = p.get("quantity", 1)
        if quantity < 1:
            raise _invalid("quantity", "This value must be greater than or equal to 1.", code="parameter_invalid_integer")
        if p.get("unit_amount_decimal") is not None:
            if not re.fullmatch(r"-?\d+(\.\d{1,12})?", p["unit_amount_decimal"]):
                raise _invalid("unit_amount_decimal", f"Invalid decimal: {p['unit_amount_decimal']}",
                               code="parameter_invalid_string")
            unit = float(p["unit_amount_decimal"])
            amount = int(round(unit * quantity))
        else:
            unit, amount, quantity = p["amount"], p["amount"], 1
        item = {"id": _new_id("ii_"), "object": "invoiceitem", "customer": customer["id"], "amount": amount,
                "quantity": quantity, "unit_amount_decimal": str(unit), "description": p.get("description"),
                "discountable": p.get("discountable", amount >= 0), "metadata": p.get("metadata", {}),
                "currency": self._currency(p.get("currency") or "gbp", "currency"), "invoice": p.get("invoice"),
                "date": self._now(), "livemode": False}
        if p.get("invoice"):
            invoice = self._invoice(p["invoice"], status=400, param="invoice")
            if invoice["status"] != "draft":
                raise _invalid("invoice", f"You can only add invoice items to draft invoices; {invoice['id']} is "
                                          f"{invoice['status']}.")
            if invoice["customer"] != customer["id"]:
                raise _invalid("invoice", "The invoice item's customer must be the invoice's customer.")
            if item["currency"] != invoice["currency"]:
                raise _invalid("currency", f"The currency of the invoice item ({item['currency']}) must match the "
                                           f"invoice's ({invoice['currency']}).")
            invoice["lines"]["data"].append({
                "id": _new_id("il_"), "object": "line_item", "amount": amount, "currency": item["currency"],
                "description": item["description"], "quantity": quantity, "discountable": item["discountable"],
                "metadata": item["metadata"], "invoice_item": item["id"],
                "pricing": {"type": "price_details", "unit_amount_decimal": item["unit_amount_decimal"]}})
            self._total(invoice)
        self.invoice_items[item["id"]] = item
        return copy.deepcopy(item)

    def _total(self, invoice):
        lines = invoice["lines"]["data"]
        subtotal = sum(line["amount"] for line in lines)
        discountable = sum(line["amount"] for line in lines if line["discountable"])
        discount = 0
        for coupon_id in invoice["discounts"]:
            coupon = self.coupons[coupon_id]
            off = coupon["amount_off"] if coupon["amount_off"] is not None else round(discountable * coupon["percent_off"] / 100)
            discount += min(off, discountable - discount)
        invoice["total_discount_amounts"] = [{"amount": discount, "discount": f"di_{c}"} for c in invoice["discounts"]][:1]
        invoice.update(subtotal=subtotal, total=subtotal - discount, amount_due=subtotal - discount,
                       amount_remaining=subtotal - discount - invoice["amount_paid"])

    def _finalize(self, invoice, p):
        if invoice["status"] != "draft":
            raise _ApiError(400, f"This invoice is already finalized, you can't re-finalize a non-draft invoice.",
                            code="invoice_not_editable")
        now = self._now()
        self._invoice_count += 1
        customer = self.customers[invoice["customer"]]
        invoice.update(status="open", number=f"{customer['invoice_prefix']}-{self._invoice_count:04d}",
                       hosted_invoice_url=f"{self.url}/invoice/{invoice['id']}", auto_advance=p.get("auto_advance", invoice["auto_advance"]))
        invoice["invoice_pdf"] = invoice["hosted_invoice_url"] + "/pdf"
        invoice["status_transitions"]["finalized_at"] = now
        if invoice["collection_method"] == "send_invoice" and invoice["due_date"] is None:
            invoice["due_date"] = now + invoice["days_until_due"] * DAY
        for coupon_id in invoice["discounts"]:
            self.coupons[coupon_id]["times_redeemed"] += 1
        if invoice["amount_due"] == 0:
            self._mark_paid(invoice, now)
        return copy.deepcopy(invoice)

    def _send_invoice(self, invoice):
        if invoice["collection_method"] != "send_invoice":
            raise _ApiError(400, "You can only manually send an invoice if its collection method is 'send_invoice'.")
        if invoice["status"] != "open":
            raise _ApiError(400, f"You can only send an open invoice; {invoice['id']} is {invoice['status']}.",
                            code="invoice_not_editable" if invoice["status"] == "draft" else None)
        invoice["sent_to"] = invoice["customer_email"]
        return copy.deepcopy(invoice)

    def _void(self, invoice):
        if invoice["status"] not in ("open", "uncollectible"):
            raise _ApiError(400, f"You can only pass in open or uncollectible invoices; {invoice['id']} is "
                                 f"{invoice['status']}.", code="invoice_not_open")
        invoice["status"] = "void"
        invoice["status_transitions"]["voided_at"] = self._now()
        return copy.deepcopy(invoice)

    def _mark_paid(self, invoice, now):
        invoice.update(status="paid", amount_paid=invoice["amount_due"], amount_remaining=0)
        invoice["status_transitions"]["paid_at"] = now

    # ----------------------------------------------------------------- "what happens at Stripe"

    def pay_invoice(self, invoice_id, send_webhook=True) -> dict:
        """The clinic pays on the hosted invoice page: status "paid" and an invoice.paid event."""
        with self._lock:
            invoice = self.invoices[invoice_id]
            if invoice["status"] != "open":
                raise ValueError(f"invoice {invoice_id} is {invoice['status']}, not open")
            self._mark_paid(invoice, self._now())
            event = self.event("invoice.paid", invoice)
        if send_webhook and self.webhook_url:
            self.deliver(event)
        return event

    def fail_invoice_payment(self, invoice_id, send_webhook=True) -> dict:
        """A payment attempt on the invoice is declined: it stays open; an invoice.payment_failed event."""
        with self._lock:
            invoice = self.invoices[invoice_id]
            invoice["attempt_count"] += 1
            event = self.event("invoice.payment_failed", invoice)
        if send_webhook and self.webhook_url:
            self.deliver(event)
        return event

    def invoice_event(self, type: str, invoice_id: str, event_id: str | None = None) -> dict:
        """An event about the invoice as it stands now (not delivered)."""
        with self._lock:
            return self.event(type, self.invoices[invoice_id], event_id=event_id)

    def _handle_invoice_page(self, h, method, path):
        parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/")]  # ["invoice", id, action?]
        with self._lock:
            invoice = copy.deepcopy(self.invoices.get(parts[1] if len(parts) > 1 else ""))
        if invoice is None:
            return self._page(h, 404, "No such invoice", "<p>No such invoice.</p>")
        if len(parts) == 3 and parts[2] == "pay" and method == "POST":
            if invoice["status"] != "open":
                return self._page(h, 400, "Not open", f"<p>This invoice is {html.escape(invoice['status'])}.</p>")
            event = self.pay_invoice(invoice["id"], send_webhook=False)
            if self.webhook_url:
                self.deliver(event)
            return self._send(h, 303, "text/plain; charset=utf-8", b"", {"Location": f"/invoice/{invoice['id']}"})
        cur = invoice["currency"]
        rows = "".join(f"<tr><td>{html.escape(line['description'] or '')}</td><td class=num>{line['quantity']}</td>"
                       f"<td class=num>{format_amount(line['amount'], cur)}</td></tr>" for line in invoice["lines"]["data"])
        discount = sum(d["amount"] for d in invoice["total_discount_amounts"])
        foot = (f"<tr><th colspan=2>Discount</th><td class=num>-{format_amount(discount, cur)}</td></tr>" if discount else "")
        foot += f"<tr><th colspan=2>Amount due</th><td class=num data-testid=total>{format_amount(invoice['amount_due'], cur)}</td></tr>"
        action = (f'<form method="post" action="/invoice/{urllib.parse.quote(invoice["id"])}/pay">'
                  f'<button type="submit" id="pay">Pay {format_amount(invoice["amount_due"], cur)}</button></form>'
                  if invoice["status"] == "open" else f"<p id=status>This invoice is {html.escape(invoice['status'])}.</p>")
        body = (f"<p>Invoice <code>{html.escape(invoice['number'] or '')}</code> to {html.escape(invoice['customer_name'] or '')}</p>"
                f"<table><thead><tr><th>Item</th><th class=num>Qty</th><th class=num>Amount</th></tr></thead>"
                f"<tbody>{rows}</tbody><tfoot>{foot}</tfoot></table>{action}")
        self._page(h, 200, f"Invoice {invoice['number']}", body)
