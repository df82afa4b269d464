"""CSV cells that a spreadsheet will not run as formulas, and lines for exports streamed row by row."""
import csv
import io
from collections.abc import Iterator

# Rows fetched from the database at a time by a streamed export (memory stays flat).
CSV_BATCH = 500


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


def csv_batches(header, rows, to_cells) -> Iterator[str]:
    """A CSV export as a stream: the header, then CSV_BATCH rows at a time, each row made safe by `cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([cell(x) for x in to_cells(row)])
        if n % CSV_BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
