from bot.render.kit import button, context, header, section
from bot.render.limits import (
    BUTTON_VALUE_MAX,
    CONTEXT_ELEMENTS_MAX,
    HEADER_TEXT_MAX,
    SECTION_TEXT_MAX,
    violations,
)


def test_long_texts_are_cut_to_what_slack_accepts_for_each_field():
    long = "Northwind Traders " * 400
    blocks = [
        header(long),
        section(long),
        context(long),
        {"type": "actions", "elements": [button("Why?", "churn_explain:0", long)]},
    ]

    assert violations(blocks) == []
    assert len(blocks[0]["text"]["text"]) <= HEADER_TEXT_MAX
    assert len(blocks[1]["text"]["text"]) <= SECTION_TEXT_MAX
    assert len(blocks[3]["elements"][0]["value"]) <= BUTTON_VALUE_MAX


def test_a_context_keeps_only_as_many_lines_as_slack_shows():
    block = context(*(f"note {n}" for n in range(CONTEXT_ELEMENTS_MAX + 5)))

    assert len(block["elements"]) == CONTEXT_ELEMENTS_MAX
    assert block["elements"][-1]["text"] == f"note {CONTEXT_ELEMENTS_MAX - 1}"


def test_a_button_carries_its_style_only_when_given_one():
    assert button("Won", "quote_won", "Q-1", "primary")["style"] == "primary"
    assert "style" not in button("PDF", "quote_pdf", "Q-1")
