from bot.render import to_blocks, to_text
from bot.render.limits import MESSAGE_BLOCKS_MAX, SECTION_TEXT_MAX
from tools.results import Action, Column, ToolResult

COLUMNS = (Column("rank", "#"), Column("customer", "Account"), Column("reason", "Why"))


def churn_like(rows: int, reason: str = "no order in 60 days") -> ToolResult:
    return ToolResult(
        intent="churn_risk_list",
        summary="Three accounts are overdue.",
        columns=COLUMNS,
        rows=tuple(
            {"rank": i, "customer": f"Account {i}", "reason": reason}
            for i in range(1, rows + 1)
        ),
        notes=("As of today.",),
        actions=(Action("Why Account 1? " * 10, "churn_explain", "Account 1"),),
    )


def test_a_long_list_is_cut_with_and_n_more_within_the_block_limit():
    blocks = to_blocks(churn_like(200))

    assert len(blocks) <= MESSAGE_BLOCKS_MAX
    assert any(
        "more" in e["text"]
        for b in blocks
        if b["type"] == "context"
        for e in b["elements"]
    )


def test_sections_and_buttons_stay_within_slacks_character_limits():
    blocks = to_blocks(churn_like(2, reason="x" * 5000))

    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert max(len(text) for text in sections) <= SECTION_TEXT_MAX
    assert all(len(button["text"]["text"]) <= 75 for button in buttons)


def test_button_action_ids_are_unique_within_a_message():
    result = ToolResult(
        intent="x",
        summary="s",
        actions=(Action("A", "churn_explain", "a"), Action("B", "churn_explain", "b")),
    )

    ids = [e["action_id"] for e in to_blocks(result)[-1]["elements"]]
    assert len(set(ids)) == 2


def test_text_rendering_aligns_the_table_and_keeps_every_row():
    text = to_text(churn_like(3))

    lines = text.splitlines()
    assert any(line.startswith("#  Account") for line in lines)
    assert [line.split()[:3] for line in lines if line[:1].isdigit()] == [
        ["1", "Account", "1"],
        ["2", "Account", "2"],
        ["3", "Account", "3"],
    ]
