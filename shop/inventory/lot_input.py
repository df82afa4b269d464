"""What a delivery line says about its lot, as typed in the receiving form or a CSV row, checked once.

A cosmetic's container carries a lot code and either a date of minimum durability or, for a
product that keeps over 30 months, a period after opening (PAO, in months). Every problem is
worded for the person who typed it; `where` names the line ("Line 2 (SKU-1)", "Row 5").
"""
import re
from dataclasses import dataclass
from datetime import date, datetime

LOT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./_-]{0,59}$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class LotDetails:
    code: str
    expires_on: date | None = None
    manufactured_on: date | None = None
    pao_months: int | None = None


def parse_date(raw: str) -> date | None:
    """A date as 2027-03-31 or 31/03/2027; None if it is not one."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


def read_lot(where: str, code: str, expires: str, made: str = "", pao: str = "", *, on: date) -> tuple[LotDetails | None, list[str]]:
    """(the lot's details, []) or (None, the problems). `on` is today: an expired lot is never received."""
    code, expires, made, pao = (code or "").strip(), (expires or "").strip(), (made or "").strip(), (pao or "").strip()
    problems = []
    if not code:
        problems.append(f"{where}: enter the lot code printed on the container.")
    elif not LOT_CODE.match(code):
        problems.append(f"{where}: the lot code “{code[:60]}” may use letters, digits, spaces and . / _ - (up to 60).")
    expires_on = parse_date(expires) if expires else None
    if expires and expires_on is None:
        problems.append(f"{where}: “{expires[:20]}” is not a date; write the expiry as 2027-03-31 or 31/03/2027.")
    manufactured_on = parse_date(made) if made else None
    if made and manufactured_on is None:
        problems.append(f"{where}: “{made[:20]}” is not a date; write the manufacture date as 2026-03-31 or 31/03/2026.")
    elif manufactured_on and manufactured_on > on:
        problems.append(f"{where}: the manufacture date {manufactured_on:%d %b %Y} is in the future.")
    pao_months = int(pao) if pao.isdigit() and len(pao) <= 3 else None
    if pao and (pao_months is None or not 1 <= pao_months <= 120):
        problems.append(f"{where}: the period after opening is a number of months from 1 to 120, e.g. 12.")
        pao_months = None
    if not expires and not pao and not problems:
        problems.append(f"{where}: enter the expiry date, or the period after opening (months) for a product that keeps over 30 months.")
    if expires_on and expires_on < on:
        problems.append(f"{where}: lot {code} expired on {expires_on:%d %b %Y}; expired stock cannot be received.")
    if problems:
        return None, problems
    return LotDetails(code.upper(), expires_on, manufactured_on, pao_months), []
