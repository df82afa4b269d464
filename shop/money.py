"""Money is integer pence everywhere; it becomes text only here, at the edge."""

SYMBOLS = {"gbp": "£", "eur": "€", "usd": "$"}


def format_money(pence: int | None, currency: str = "gbp") -> str:
    if pence is None:
        return ""
    if not isinstance(pence, int):
        raise TypeError(f"money must be integer pence, got {type(pence).__name__}")
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    symbol = SYMBOLS.get(currency.lower(), currency.upper() + " ")
    return f"{sign}{symbol}{pounds:,}.{rest:02d}"


def per_hundred(pence: int, amount: int) -> int:
    """Price per 100 ml (or 100 g), rounded half up to the penny, in integer arithmetic."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    return (pence * 100 * 2 + amount) // (amount * 2)


def vat_included(total_pence: int, rate_percent: int) -> int:
    """The VAT inside a VAT-inclusive price, rounded half up to the penny, in integer arithmetic.

    At 20% it is a sixth of the price: £15.03 holds £2.505, shown as £2.51.
    """
    if not isinstance(total_pence, int) or not isinstance(rate_percent, int):
        raise TypeError("VAT is worked out from integer pence and a whole-number rate")
    whole = 100 + rate_percent
    return (total_pence * rate_percent * 2 + whole) // (whole * 2)


def parse_pounds(text, *, field: str = "amount", allow_zero: bool = False, maximum_pence: int = 10_000_000) -> int:
    """'12.5', '£12.50', '1,234.00' -> integer pence. Raises ValueError with a message for the person typing.

    Decimal, never float; negatives, more than two decimal places and nonsense are refused.
    """
    from decimal import Decimal, InvalidOperation

    raw = str(text or "").strip().replace("£", "", 1).replace(",", "").strip()
    if not raw:
        raise ValueError(f"Enter the {field} in pounds and pence, like 12.50.")
    if len(raw) > 20 or not all(c.isdigit() or c in ".-" for c in raw):
        raise ValueError(f"“{str(text)[:20]}” is not an amount of money: enter pounds and pence, like 12.50.")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"“{str(text)[:20]}” is not an amount of money: enter pounds and pence, like 12.50.") from None
    if not value.is_finite():
        raise ValueError(f"Enter the {field} in pounds and pence, like 12.50.")
    if value < 0:
        raise ValueError(f"The {field} cannot be negative.")
    if value.as_tuple().exponent < -2:
        raise ValueError(f"The {field} can have at most two decimal places (pence).")
    pence = int(value * 100)
    if pence == 0 and not allow_zero:
        raise ValueError(f"The {field} must be more than £0.00.")
    if pence > maximum_pence:
        raise ValueError(f"The {field} is more than {format_money(maximum_pence)}: please check it.")
    return pence


def pounds_text(pence: int | None) -> str:
    """Pence as the plain text a form field shows (1250 -> '12.50')."""
    return "" if pence is None else f"{pence // 100}.{pence % 100:02d}"
