"""Open data files that open right in a spreadsheet, streamed: what consultations' exports and
citizen requests' public data share (they sit on different layers above cms).

Excel opens a CSV file without a byte-order mark in the machine's legacy code page
(Windows-1252 or -1256), which turns Arabic (and French accents) into mojibake; with a UTF-8
BOM it reads the file as UTF-8. Other tools (pandas, LibreOffice, csvkit) accept the BOM.

A cell starting with one of ``FORMULA_STARTS`` is run as a formula by spreadsheet programs
(CSV injection: "=HYPERLINK(…)" in a contribution would become a live link in a journalist's
spreadsheet). In the CSV only, such a cell is prefixed with an apostrophe, which spreadsheets
read as "this is text" and do not show; a JSON file keeps every text exactly as written.
"""

import csv
import itertools

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_PART = 200  # CSV rows sent to the client at a time


class _Echo:
    """A file-like object whose write returns what it was given, for csv.writer to format
    one row at a time (Django's "Streaming large CSV files")."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv_parts(columns, rows):
    """The CSV file as UTF-8 byte strings of ROWS_PER_PART rows each, BOM and header first."""
    writer = csv.writer(_Echo())
    yield (BOM + writer.writerow(columns)).encode()
    rows = iter(rows)
    while batch := list(itertools.islice(rows, ROWS_PER_PART)):
        yield "".join(
            writer.writerow([csv_cell(row[column]) for column in columns]) for row in batch
        ).encode()


async def _async_parts(parts):
    """``parts`` for an ASGI server: Django would otherwise read a synchronous iterator whole
    before sending it. Each step runs in the thread that holds the database connection."""
    step = sync_to_async(next, thread_sensitive=True)
    while (part := await step(parts, None)) is not None:
        yield part


def csv_response(request, columns, rows) -> StreamingHttpResponse:
    """``rows`` (dicts, read lazily) as a streamed, spreadsheet-safe CSV of ``columns``."""
    parts = _csv_parts(columns, rows)
    return StreamingHttpResponse(
        _async_parts(parts) if isinstance(request, ASGIRequest) else parts,
        content_type="text/csv; charset=utf-8",
    )
