"""The quote PDF: a real PDF whose page shows the quote's parties, lines and totals."""

from __future__ import annotations

import base64
import re
import zlib

from bot.render.pdf import quote_pdf
from tests.bot.test_quote_card import a_card, line

STREAM = re.compile(rb"\nstream\r?\n(.*?)endstream", re.S)
SHOWN = re.compile(rb"\((.*?)(?<!\\)\) Tj")


def page_text(pdf: bytes) -> str:
    """The strings the pages draw, from reportlab's ASCII85 and Flate streams."""
    shown = []
    for stream in STREAM.findall(pdf):
        data = stream.strip().removesuffix(b"~>")
        content = zlib.decompress(base64.a85decode(data))
        shown += [
            text.replace(rb"\(", b"(").replace(rb"\)", b")")
            for text in SHOWN.findall(content)
        ]
    return b"\n".join(shown).decode("latin-1")


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def test_the_pdf_is_a_one_page_document_of_the_quote():
    pdf = quote_pdf(a_card())

    text = page_text(pdf)
    assert pdf.startswith(b"%PDF-")
    assert pages(pdf) == 1
    assert "Quote Q-2026-0042 (DRAFT)" in text
    for shown in ("Acme Corp", "Alex Rivera", "4 December 2026", "3 January 2027"):
        assert shown in text


def test_the_pdf_lists_every_line_and_the_totals_after_discount():
    text = page_text(quote_pdf(a_card()))

    assert "Gateway Hub 2" in text and "HW-GWH-002" in text
    assert "$3,600.00" in text
    assert "Discount 10%" in text and "-$840.00" in text
    assert "Total (USD)" in text and "$7,560.00" in text


def test_a_sent_quote_is_not_titled_draft():
    text = page_text(quote_pdf(a_card(status="sent")))

    assert "Quote Q-2026-0042" in text
    assert "DRAFT" not in text


def test_names_with_markup_characters_are_printed_as_typed():
    text = page_text(quote_pdf(a_card(customer="Smith & Sons <UK>")))

    assert "Smith & Sons <" in text and "UK" in text


def test_a_long_quote_flows_onto_more_pages():
    lines = tuple(line(number) for number in range(1, 80))

    assert pages(quote_pdf(a_card(lines=lines))) > 1
