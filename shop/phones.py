"""UK phone numbers as people write them: "0161 496 0000", "+44 (0)161 496 0000", "(01632) 960001"."""
import re

_ALLOWED = re.compile(r"^\+?[0-9 ()\-]+$")
PHONE_MESSAGE = "Enter a UK phone number, like 0161 496 0000 or +44 161 496 0000."


class PhoneError(ValueError):
    pass


def normalise_phone(text: str) -> str:
    """The number as typed with its spaces tidied; PhoneError unless it is 10 or 11 digits of a UK number."""
    typed = " ".join((text or "").split())
    if not typed or len(typed) > 40 or not _ALLOWED.match(typed) or "+" in typed[1:]:
        raise PhoneError(PHONE_MESSAGE)
    digits = re.sub(r"[^0-9]", "", typed.replace("(0)", ""))
    if typed.startswith("+"):
        if not digits.startswith("44"):
            raise PhoneError(PHONE_MESSAGE)
        digits = "0" + digits[2:]
    if not digits.startswith("0") or not 10 <= len(digits) <= 11:
        raise PhoneError(PHONE_MESSAGE)
    return typed
