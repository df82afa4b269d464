"""UK postcodes: tidy what people type ("m1 1aa" -> "M1 1AA") and tell a real format from junk.

Kept outside accounts on purpose: delivery zones read postcodes too.
"""
import re

# Royal Mail's formats (A9, A99, A9A, AA9, AA99, AA9A outward; 9AA inward) with the letters
# each position may use, written for the compact, upper-case form; GIR 0AA is Girobank's.
_POSTCODE = re.compile(
    r"^(?:GIR0AA|[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)
POSTCODE_MESSAGE = "Enter a UK postcode, like M1 1AA or SW1A 2AA."


class PostcodeError(ValueError):
    pass


def normalise_postcode(text: str) -> str:
    """The postcode as Royal Mail writes it ("SW1A 2AA"); PostcodeError for anything else."""
    compact = re.sub(r"\s+", "", text or "").upper()
    if len(compact) > 7 or not _POSTCODE.match(compact):
        raise PostcodeError(POSTCODE_MESSAGE)
    return f"{compact[:-3]} {compact[-3:]}"


def is_postcode(text: str) -> bool:
    try:
        normalise_postcode(text)
    except PostcodeError:
        return False
    return True
