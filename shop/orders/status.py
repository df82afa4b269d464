"""An order's status, and the groups of statuses the shop reasons about, defined once.

The values are the strings stored in orders.status (the table's CHECK constraint lists the same
ones); a StrEnum member equals its string, so rows read back as plain strings compare equal.
"""
from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"  # stock held, waiting for the buyer to pay
    PAYMENT_PROCESSING = "payment_processing"  # the buyer paid with a delayed method; stock stays held
    PAID = "paid"  # money taken; stock sold
    NEEDS_REVIEW = "needs_review"  # something did not add up (amount, currency, stock); never shipped unchecked
    CANCELLED = "cancelled"  # the hold was released: by the buyer, the back office, or a gateway failure
    EXPIRED = "expired"  # the hold was released: the checkout ran out of time
    PAYMENT_FAILED = "payment_failed"  # the hold was released: the delayed payment failed
    ON_ACCOUNT = "on_account"  # a clinic on payment terms: confirmed and stock taken, its invoice not paid yet


STATUSES = tuple(OrderStatus)
# Stock is held for the order, and nobody has been paid yet.
STOCK_HELD = (OrderStatus.PENDING_PAYMENT, OrderStatus.PAYMENT_PROCESSING)
# The hold was given back; a payment arriving now must take the stock again.
HOLD_RELEASED = (OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.PAYMENT_FAILED)
# Money was taken: these can be refunded and count as takings.
MONEY_TAKEN = (OrderStatus.PAID, OrderStatus.NEEDS_REVIEW)
# Stock sold, money owed: a clinic's order on account, its invoice not paid yet.
OWED = (OrderStatus.ON_ACCOUNT,)
# The goods are the buyer's: paid, or bought on account (shipped before its invoice is paid). A recall
# reaches these buyers.
GOODS_SOLD = MONEY_TAKEN + OWED
# Ready to be packed and posted: paid, or confirmed on a clinic's payment terms.
SHIPPABLE = (OrderStatus.PAID, OrderStatus.ON_ACCOUNT)
# The buyer has paid: the money was taken, or a delayed payment is on its way, or the clinic owes it on
# its terms. A care plan is credited with these orders, and the buyer's cart is emptied for them.
PAYMENT_MADE = (OrderStatus.PAID, OrderStatus.PAYMENT_PROCESSING, OrderStatus.NEEDS_REVIEW, OrderStatus.ON_ACCOUNT)
# What a customer sees in their account; abandoned checkouts are not orders to them.
SHOWN_TO_BUYER = (OrderStatus.PAYMENT_PROCESSING, OrderStatus.PAID, OrderStatus.NEEDS_REVIEW,
                  OrderStatus.PAYMENT_FAILED, OrderStatus.ON_ACCOUNT)

STATUS_LABELS = {
    OrderStatus.PENDING_PAYMENT: "Awaiting payment",
    OrderStatus.PAYMENT_PROCESSING: "Payment processing",
    OrderStatus.PAID: "Paid",
    OrderStatus.NEEDS_REVIEW: "Being checked by our team",
    OrderStatus.CANCELLED: "Cancelled",
    OrderStatus.EXPIRED: "Expired",
    OrderStatus.PAYMENT_FAILED: "Payment failed",
    OrderStatus.ON_ACCOUNT: "Confirmed: invoice to pay",
}
