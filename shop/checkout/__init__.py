"""Checkout: from a cart to a paid order, through the payment gateway and its webhooks."""
