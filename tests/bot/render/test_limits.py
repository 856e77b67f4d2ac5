import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import limits
from bot.render.blocks import to_blocks
from bot.render.limits import fit_message, fit_view, violations
from tests.shared_files import shared_file
from tools.results import Action, Column, ToolResult

SLACK_NAMES = {
    ("surface", "message_blocks_max"): "MESSAGE_BLOCKS_MAX",
    ("surface", "modal_blocks_max"): "VIEW_BLOCKS_MAX",
    ("surface", "home_blocks_max"): "VIEW_BLOCKS_MAX",
    ("surface", "message_text_max_chars"): "MESSAGE_TEXT_MAX",
    ("surface", "attachments_max"): "ATTACHMENTS_MAX",
    ("ids", "block_id_max"): "BLOCK_ID_MAX",
    ("ids", "action_id_max"): "ACTION_ID_MAX",
    ("ids", "callback_id_max"): "CALLBACK_ID_MAX",
    ("section", "text_max"): "SECTION_TEXT_MAX",
    ("section", "fields_max_items"): "SECTION_FIELDS_MAX",
    ("section", "field_text_max"): "SECTION_FIELD_TEXT_MAX",
    ("header", "text_max"): "HEADER_TEXT_MAX",
    ("markdown_block", "text_max"): "MARKDOWN_TEXT_MAX",
    ("context", "elements_max"): "CONTEXT_ELEMENTS_MAX",
    ("actions", "elements_max"): "ACTIONS_ELEMENTS_MAX",
    ("context_actions", "elements_max"): "CONTEXT_ACTIONS_ELEMENTS_MAX",
    ("image_block", "image_url_max"): "IMAGE_URL_MAX",
    ("image_block", "alt_text_max"): "IMAGE_ALT_TEXT_MAX",
    ("image_block", "title_max"): "IMAGE_TITLE_MAX",
    ("input_block", "label_max"): "INPUT_LABEL_MAX",
    ("input_block", "hint_max"): "INPUT_HINT_MAX",
    ("button", "text_max"): "BUTTON_TEXT_MAX",
    ("button", "value_max"): "BUTTON_VALUE_MAX",
    ("button", "url_max"): "BUTTON_URL_MAX",
    ("button", "accessibility_label_max"): "BUTTON_ACCESSIBILITY_LABEL_MAX",
    ("button", "action_id_max"): "ACTION_ID_MAX",
    ("select_menus", "options_max"): "OPTIONS_MAX",
    ("select_menus", "option_groups_max"): "OPTION_GROUPS_MAX",
    ("select_menus", "placeholder_max"): "PLACEHOLDER_MAX",
    ("option_object", "text_max"): "OPTION_TEXT_MAX",
    ("option_object", "value_max"): "OPTION_VALUE_MAX",
    ("option_group", "label_max"): "OPTION_GROUP_LABEL_MAX",
    ("option_group", "options_max"): "OPTIONS_MAX",
    ("overflow", "options_max"): "OVERFLOW_OPTIONS_MAX",
    ("confirm_dialog", "title_max"): "CONFIRM_TITLE_MAX",
    ("confirm_dialog", "text_max"): "CONFIRM_TEXT_MAX",
    ("confirm_dialog", "confirm_max"): "CONFIRM_BUTTON_MAX",
    ("confirm_dialog", "deny_max"): "CONFIRM_BUTTON_MAX",
    ("modal_view", "title_max"): "VIEW_TITLE_MAX",
    ("modal_view", "submit_max"): "VIEW_SUBMIT_MAX",
    ("modal_view", "close_max"): "VIEW_CLOSE_MAX",
    ("modal_view", "private_metadata_max"): "PRIVATE_METADATA_MAX",
    ("modal_view", "callback_id_max"): "CALLBACK_ID_MAX",
    ("modal_view", "blocks_max"): "VIEW_BLOCKS_MAX",
}


def slack_maxima() -> dict[tuple[str, str], int]:
    published = json.loads(shared_file("slack/block_kit_limits.json").read_text())
    return {
        (group, name): value
        for group, values in published.items()
        if isinstance(values, dict)
        for name, value in values.items()
        if name.endswith("_max")
        or name.endswith("_max_items")
        or name.endswith("_max_chars")
    }


def test_every_published_maximum_has_a_constant_of_the_same_value():
    maxima = slack_maxima()

    assert set(maxima) == set(SLACK_NAMES)
    ours = {key: getattr(limits, SLACK_NAMES[key]) for key in maxima}
    assert ours == maxima


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(label: str, value: str = "v", action_id: str = "a") -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "value": value,
        "action_id": action_id,
    }


def option(text: str, value: str) -> dict:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def test_violations_names_each_thing_slack_would_reject_by_its_pointer():
    blocks = [section("x" * 3001)] + [section("ok")] * 50

    found = violations(blocks)

    assert found == [
        "/blocks: 51 items, at most 50 allowed",
        "/blocks/0/text/text: 3001 characters, at most 3000 allowed",
    ]


def test_a_long_section_is_cut_with_an_ellipsis_to_exactly_the_limit():
    [fitted] = fit_message([section("x" * 5000)])

    text = fitted["text"]["text"]
    assert len(text) == limits.SECTION_TEXT_MAX
    assert text.endswith("…")


def test_a_cut_code_block_is_closed_again():
    table = "```\n" + "row\n" * 2000 + "```"

    [fitted] = fit_message([section(table)])

    text = fitted["text"]["text"]
    assert len(text) <= limits.SECTION_TEXT_MAX
    assert text.endswith("…\n```")
    assert text.count("```") == 2


def test_too_many_blocks_end_with_a_line_saying_how_many_more():
    fitted = fit_message([section(f"row {i}") for i in range(120)])

    assert len(fitted) == limits.MESSAGE_BLOCKS_MAX
    assert fitted[-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "…and 71 more"}],
    }


def test_too_many_fields_end_with_an_and_n_more_field():
    block = {"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 14}

    [fitted] = fit_message([block])

    assert len(fitted["fields"]) == limits.SECTION_FIELDS_MAX
    assert fitted["fields"][-1]["text"] == "…and 5 more"


def test_buttons_and_options_beyond_the_limit_are_left_out_without_a_more_item():
    select = {
        "type": "static_select",
        "action_id": "pick",
        "options": [option(f"o{i}", str(i)) for i in range(130)],
    }
    blocks = [{"type": "actions", "elements": [button(f"b{i}") for i in range(30)]}]
    blocks[0]["elements"].append(select)

    [fitted] = fit_message(blocks)

    assert len(fitted["elements"]) == limits.ACTIONS_ELEMENTS_MAX
    assert [e["text"]["text"] for e in fitted["elements"][-2:]] == ["b23", "b24"]


def test_the_input_is_left_unchanged():
    blocks = [section("x" * 5000)]

    fit_message(blocks)

    assert len(blocks[0]["text"]["text"]) == 5000


def test_a_view_is_held_to_its_own_block_and_title_limits():
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Draft a quote for Northwind Traders"},
        "callback_id": "c" * 300,
        "blocks": [section("line")] * 140,
    }

    fitted = fit_view(view)

    assert len(fitted["blocks"]) == limits.VIEW_BLOCKS_MAX
    assert len(fitted["title"]["text"]) == limits.VIEW_TITLE_MAX
    assert fitted["callback_id"] == "c" * limits.CALLBACK_ID_MAX
    assert violations(fitted) == []


def test_a_view_with_too_much_private_metadata_is_refused_rather_than_cut():
    view = {"type": "modal", "private_metadata": "{" + "x" * 4000, "blocks": []}

    try:
        fit_view(view)
    except ValueError as error:
        assert "private_metadata" in str(error)
    else:
        raise AssertionError("fit_view accepted 4,001 characters of private_metadata")


texts = st.text(min_size=1, max_size=4000)
short_texts = st.text(min_size=1, max_size=200)


@st.composite
def tool_results(draw) -> ToolResult:
    columns = (Column("rank", "#"), Column("customer", "Account"), Column("why", "Why"))
    rows = draw(st.lists(st.fixed_dictionaries({"why": texts}), max_size=80))
    return ToolResult(
        intent="churn_risk_list",
        summary=draw(texts),
        columns=columns,
        rows=tuple(
            {"rank": i, "customer": draw(short_texts), **row}
            for i, row in enumerate(rows, start=1)
        ),
        notes=tuple(draw(st.lists(texts, max_size=15))),
        actions=tuple(
            Action(label, "churn_explain", value)
            for label, value in draw(
                st.lists(st.tuples(short_texts, texts), max_size=40)
            )
        ),
        follow_ups=tuple(draw(st.lists(short_texts, max_size=5))),
    )


@given(tool_results())
@settings(max_examples=40, deadline=None)
def test_any_tool_result_fits_into_a_message_slack_accepts(result):
    assert violations(fit_message(to_blocks(result))) == []


def text_object(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def blocks_of_every_kind() -> st.SearchStrategy:
    long_ids = st.text(min_size=1, max_size=400)
    options = st.lists(st.builds(option, texts, texts), min_size=1, max_size=130)
    confirm = st.builds(
        lambda t, x, c, d: {
            "title": text_object(t),
            "text": text_object(x),
            "confirm": text_object(c),
            "deny": text_object(d),
        },
        texts,
        texts,
        texts,
        texts,
    )
    buttons = st.builds(
        lambda label, value, action_id, dialog: (
            button(label, value, action_id) | {"confirm": dialog}
        ),
        texts,
        texts,
        long_ids,
        confirm,
    )
    select = st.builds(
        lambda o, p, a: {
            "type": "static_select",
            "options": o,
            "placeholder": text_object(p),
            "action_id": a,
        },
        options,
        texts,
        long_ids,
    )
    return st.one_of(
        st.builds(lambda t, b: section(t) | {"block_id": b}, texts, long_ids),
        st.builds(
            lambda f: {"type": "section", "fields": [text_object(x) for x in f]},
            st.lists(texts, min_size=1, max_size=14),
        ),
        st.builds(lambda t: {"type": "header", "text": text_object(t)}, texts),
        st.builds(
            lambda e: {"type": "context", "elements": [text_object(x) for x in e]},
            st.lists(short_texts, min_size=1, max_size=14),
        ),
        st.builds(
            lambda e: {"type": "actions", "elements": e},
            st.lists(st.one_of(buttons, select), min_size=1, max_size=30),
        ),
        st.builds(
            lambda a, t: {
                "type": "image",
                "image_url": "https://example.com/chart.png",
                "alt_text": a,
                "title": text_object(t),
            },
            texts,
            texts,
        ),
        st.builds(
            lambda label, hint: {
                "type": "input",
                "label": text_object(label),
                "hint": text_object(hint),
                "element": {"type": "plain_text_input", "action_id": "note"},
            },
            texts,
            texts,
        ),
    )


@given(st.lists(blocks_of_every_kind(), max_size=60))
@settings(max_examples=60, deadline=None)
def test_any_blocks_fit_into_a_message_slack_accepts(blocks):
    assert violations(fit_message(blocks)) == []


@given(st.lists(blocks_of_every_kind(), max_size=110), texts, texts)
@settings(max_examples=30, deadline=None)
def test_any_blocks_fit_into_a_view_slack_accepts(blocks, title, submit):
    view = {
        "type": "modal",
        "title": text_object(title),
        "submit": text_object(submit),
        "blocks": blocks,
    }

    assert violations(fit_view(view)) == []
