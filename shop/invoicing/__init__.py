"""Pay on account: a clinic's payment terms (7, 14 or 30 days, with a credit limit), the invoice of each
order it buys on account, and what it still owes.

An order on account is confirmed at once (its stock taken in the same transaction as the credit check);
the worker creates its invoice at the gateway (preparing.py), and the gateway's events settle it
(events.py). The back office grants terms, voids invoices and exports the aged debt (backoffice.py).
"""
