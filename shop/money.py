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
