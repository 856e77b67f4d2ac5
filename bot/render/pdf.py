"""A quote as a one-page PDF document, drawn with reportlab.

The page reads like a printed quote: the quote number and who it is for,
the rep and the dates, a table of the lines, then subtotal, discount and
total. A draft says DRAFT in its title so a printed copy is never taken for
the quote that was sent. Long quotes flow onto more pages, the table's head
repeated.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bot.render.quote_card import status_label
from storage.models import QuoteStatus
from tools.money import exact_money
from tools.quote_actions import QuoteCard

MARGIN = 18 * mm
ACCENT = colors.HexColor("#1d4e89")
RULE = colors.HexColor("#c9d3df")
LINE_WIDTHS = (0.45, 0.1, 0.2, 0.25)


def quote_pdf(card: QuoteCard) -> bytes:
    """The quote document as PDF bytes, ready to upload as ``<quote number>.pdf``."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Quote {card.quote_number}",
        author=card.rep or "",
        subject=f"Quote for {card.customer}",
    )
    styles = _styles()
    story = [
        Paragraph(escape(_title(card)), styles["Title"]),
        _parties(card, styles, document.width),
        Spacer(0, 8 * mm),
        _lines_table(card, styles, document.width),
        Spacer(0, 4 * mm),
        _totals_table(card, styles, document.width),
        Spacer(0, 10 * mm),
        Paragraph(escape(_terms(card)), styles["Small"]),
    ]
    document.build(story)
    return buffer.getvalue()


def _title(card: QuoteCard) -> str:
    if card.status == QuoteStatus.DRAFT:
        return f"Quote {card.quote_number} (DRAFT)"
    return f"Quote {card.quote_number}"


def _styles() -> dict[str, ParagraphStyle]:
    sheet = getSampleStyleSheet()
    base = sheet["BodyText"]
    return {
        "Title": ParagraphStyle(
            "QuoteTitle", parent=sheet["Title"], alignment=0, textColor=ACCENT
        ),
        "Body": base,
        "Label": ParagraphStyle("Label", parent=base, textColor=colors.grey),
        "Right": ParagraphStyle("Right", parent=base, alignment=TA_RIGHT),
        "Head": ParagraphStyle(
            "Head", parent=base, fontName="Helvetica-Bold", textColor=colors.white
        ),
        "Small": ParagraphStyle(
            "Small", parent=base, fontSize=8, leading=10, textColor=colors.grey
        ),
    }


def _parties(card: QuoteCard, styles, width: float) -> Table:
    """Customer and rep on the left, dates and status on the right."""
    valid = f"{card.valid_until:%-d %B %Y}" if card.valid_until else "not set"
    left = [("Prepared for", card.customer), ("Sales rep", card.rep or "unassigned")]
    right = [
        ("Date", f"{card.created_at:%-d %B %Y}"),
        ("Valid until", valid),
        ("Status", status_label(card.status)),
    ]
    rows = []
    for index in range(max(len(left), len(right))):
        row = []
        for side in (left, right):
            label, value = side[index] if index < len(side) else ("", "")
            row += [
                Paragraph(escape(label), styles["Label"]),
                Paragraph(escape(value), styles["Body"]),
            ]
        rows.append(row)
    table = Table(rows, colWidths=[width * share for share in (0.16, 0.34, 0.16, 0.34)])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _lines_table(card: QuoteCard, styles, width: float) -> Table:
    def money(value) -> str:
        return exact_money(value, card.currency)

    head = [
        Paragraph(title, styles["Head"])
        for title in ("Product", "Qty", "Unit price", "Line total")
    ]
    rows = [head]
    for line in card.lines:
        sku = f"<font size=8 color=grey>{escape(line.sku)}</font>"
        product = f"{escape(line.product)}<br/>{sku}"
        rows.append(
            [
                Paragraph(product, styles["Body"]),
                Paragraph(f"{line.quantity:,}", styles["Right"]),
                Paragraph(money(line.unit_price), styles["Right"]),
                Paragraph(money(line.line_total), styles["Right"]),
            ]
        )
    table = Table(
        rows, colWidths=[width * share for share in LINE_WIDTHS], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _totals_table(card: QuoteCard, styles, width: float) -> Table:
    def money(value) -> str:
        return exact_money(value, card.currency)

    rows = [("Subtotal", money(card.subtotal))]
    if card.discount_pct:
        off = card.subtotal - card.total
        rows.append((f"Discount {float(card.discount_pct):g}%", f"-{money(off)}"))
    rows.append((f"<b>Total ({card.currency})</b>", f"<b>{money(card.total)}</b>"))
    cells = [
        [Paragraph(label, styles["Right"]), Paragraph(value, styles["Right"])]
        for label, value in rows
    ]
    table = Table(cells, colWidths=[width * 0.75, width * 0.25])
    table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, -1), (-1, -1), 1, ACCENT),
            ]
        )
    )
    return table


def _terms(card: QuoteCard) -> str:
    valid = (
        f" This quote is valid until {card.valid_until:%-d %B %Y}."
        if card.valid_until
        else ""
    )
    return f"Prices in {card.currency}, excluding taxes.{valid}"
