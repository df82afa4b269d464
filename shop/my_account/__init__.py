"""My account: a customer's orders, each order's page and receipt, and what is running low.

It sits above orders and reorder, which it combines; shop.accounts (who a person is: sign-in,
registration, trade accounts) knows nothing of it.
"""
