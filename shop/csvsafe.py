"""CSV cells that a spreadsheet will not run as formulas."""


def cell(value) -> str:
    text = "" if value is None else str(value)
    # =, +, -, @ (and tab/CR) start a formula in Excel and LibreOffice: quote them as text.
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
