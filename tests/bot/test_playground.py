import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.playground import ChartShelf
from bot.server import create_server
from bot.settings import Settings
from storage.db import session_scope
from storage.models import Quote
from tests.factories import make_customer, make_orders, make_product, make_rep
from tools.drafts import draft_quote
from tools.people import requester_by_email

TODAY = dt.date(2026, 6, 30)
ALEX = "alex.rivera@example.com"
PRIYA = "priya.nair@example.com"
DANA = "dana.whitfield@example.com"


@pytest.fixture
def book(store_url) -> str:
    """Alex owns Acme (ordering weekly) and Globex (slipping); Priya owns Initech."""
    with session_scope(store_url) as session:
        make_rep(session, "Dana Whitfield", role="manager")
        alex = make_rep(session, "Alex Rivera")
        priya = make_rep(session, "Priya Nair")
        make_orders(session, make_customer(session, "Acme Corp", alex), TODAY, 7, 60)
        globex = make_customer(session, "Globex Corporation", alex)
        make_orders(session, globex, TODAY - dt.timedelta(days=60), 10, 8)
        make_orders(session, make_customer(session, "Initech", priya), TODAY, 7, 8)
        make_product(session, "Gateway Hub", "Hardware")
    return store_url


@pytest.fixture
def client(book) -> TestClient:
    settings = Settings(
        _env_file=None,
        database_url=book,
        slack_bot_token=None,
        slack_signing_secret=None,
        slack_app_token=None,
    )
    return TestClient(create_server(settings))


@pytest.fixture
def draft_number(book) -> str:
    with session_scope(book) as session:
        alex = requester_by_email(session, ALEX)
        result = draft_quote(session, alex, "Acme Corp", [("Gateway Hub", 10)])
    return result.data["quote_number"]


def ask(client, text, user=ALEX, conversation="tab1") -> dict:
    payload = {"text": text, "user": user, "conversation": conversation}
    response = client.post("/playground/ask", json=payload)
    assert response.status_code == 200, response.text
    return response.json()


def press(client, action_id, value, user=ALEX) -> dict:
    payload = {"action_id": action_id, "value": value, "user": user}
    response = client.post("/playground/action", json=payload)
    assert response.status_code == 200, response.text
    return response.json()


def text_of(message: dict) -> str:
    """Every text a person would read in a message's blocks."""
    texts = []

    def collect(node):
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                texts.append(node["text"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(message["blocks"])
    return "\n".join(texts)


def action_ids(message: dict) -> list[str]:
    return [
        element["action_id"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def status_of(url: str, number: str) -> str:
    with session_scope(url) as session:
        return session.scalar(select(Quote.status).where(Quote.quote_number == number))


def test_the_reps_are_listed_with_managers_first(client):
    reps = client.get("/playground/reps").json()

    assert [rep["email"] for rep in reps] == [DANA, ALEX, PRIYA]
    assert reps[0] == {
        "email": DANA,
        "name": "Dana Whitfield",
        "role": "manager",
        "team": "sales",
    }


def test_the_page_loads_its_script_and_styles(client):
    page = client.get("/").text

    assert "/playground/static/playground.js" in page
    assert client.get("/playground/static/blockkit.js").status_code == 200
    assert client.get("/playground/static/playground.css").status_code == 200


def test_a_draft_asks_for_what_is_missing_within_one_conversation(client):
    assert "Which customer" in ask(client, "draft a quote")["text"]

    in_same_tab = ask(client, "Acme Corp")
    in_other_tab = ask(client, "Acme Corp", conversation="tab2")

    assert "What should the quote include" in in_same_tab["text"]
    assert "What should the quote include" not in in_other_tab["text"]


def test_a_drafted_quote_shows_as_its_card(client, book):
    ask(client, "draft a quote for Acme Corp: 10 Gateway Hubs")

    card = ask(client, "no discount")

    number = card["blocks"][0]["text"]["text"].split()[0]
    assert card["blocks"][0]["type"] == "header"
    assert status_of(book, number) == "draft"
    assert "quote_sent" in action_ids(card)
    assert "Acme Corp" in text_of(card)


def test_mark_sent_replaces_the_card_and_a_second_press_changes_nothing(
    client, book, draft_number
):
    first = press(client, "quote_sent", draft_number)
    second = press(client, "quote_sent", draft_number)

    assert "post" not in first
    assert action_ids(first["replace"])[:2] == ["quote_won", "quote_lost"]
    assert second["post"]["ephemeral"] is True
    assert "already" in second["post"]["text"]
    assert status_of(book, draft_number) == "sent"


def test_another_rep_is_told_they_cannot_act_and_the_quote_stays(
    client, book, draft_number
):
    reply = press(client, "quote_discard", draft_number, user=PRIYA)

    assert reply["post"]["ephemeral"] is True
    assert "replace" not in reply
    assert status_of(book, draft_number) == "draft"


def test_won_and_lost_decide_a_sent_quote_once(client, book, draft_number):
    press(client, "quote_sent", draft_number)

    press(client, "quote_won", draft_number)
    late = press(client, "quote_lost", draft_number)

    assert status_of(book, draft_number) == "accepted"
    assert late["post"]["ephemeral"] is True


def test_the_pdf_button_links_to_a_pdf_only_the_quotes_people_may_download(
    client, draft_number
):
    reply = press(client, "quote_pdf", draft_number)
    link = reply["post"]["blocks"][0]["accessory"]["url"]

    path = link.split("?")[0]

    own = client.get(link)
    managers = client.get(path, params={"user": DANA})
    others = client.get(path, params={"user": PRIYA})

    assert own.content.startswith(b"%PDF")
    assert own.headers["content-type"] == "application/pdf"
    assert managers.status_code == 200
    assert others.status_code == 403


def test_the_why_button_explains_the_account(client):
    answer = press(client, "churn_explain:0", "Globex Corporation")["post"]

    assert answer["text"].startswith("Globex Corporation")


def test_a_clarifying_button_answers_the_question_it_names(client):
    answer = press(client, "clarify_churn_risk_list", "churn_risk_list")["post"]

    assert "Globex Corporation" in text_of(answer)


def test_a_forecast_chart_is_an_image_the_page_can_load(client):
    answer = ask(client, "forecast revenue for the next 90 days")

    images = [block for block in answer["blocks"] if block["type"] == "image"]
    chart = client.get(images[0]["image_url"])

    assert chart.headers["content-type"] == "image/png"
    assert chart.content.startswith(b"\x89PNG")


def test_an_unknown_button_is_refused(client):
    response = client.post(
        "/playground/action", json={"action_id": "launch", "user": ALEX}
    )

    assert response.status_code == 400
    assert "does nothing here" in response.json()["detail"]


def test_a_conversation_id_that_would_not_fit_the_store_is_refused(client):
    response = client.post(
        "/playground/ask",
        json={"text": "help", "user": ALEX, "conversation": "x" * 33},
    )

    assert response.status_code == 422


def test_the_chart_shelf_keeps_only_the_newest_charts():
    shelf = ChartShelf(size=2)

    first, second, third = (shelf.put(bytes([n])) for n in range(3))

    assert shelf.get(first) is None
    assert (shelf.get(second), shelf.get(third)) == (b"\x01", b"\x02")


def edit_values(product: str, quantity: str, discount: str | None = None) -> dict:
    """The edit form's state values with one line, as the page sends them."""
    option = {"text": {"type": "plain_text", "text": product}, "value": product}
    return {
        "line_1_product": {
            "quote_product": {"type": "external_select", "selected_option": option}
        },
        "line_1_quantity": {
            "quote_quantity": {"type": "number_input", "value": quantity}
        },
        "discount": {"quote_discount": {"type": "number_input", "value": discount}},
    }


def submit(client, form: dict, values: dict, user=ALEX) -> dict:
    payload = {
        "callback_id": form["callback_id"],
        "private_metadata": form["private_metadata"],
        "values": values,
        "user": user,
    }
    response = client.post("/playground/view", json=payload)
    assert response.status_code == 200, response.text
    return response.json()


def test_edit_opens_the_quote_form_and_saving_it_refreshes_the_card(
    client, draft_number
):
    form = press(client, "quote_edit", draft_number)["open"]
    sku = client.get(
        "/playground/options",
        params={"action_id": "quote_product", "value": "gateway", "user": ALEX},
    ).json()["options"][0]["value"]

    reply = submit(client, form, edit_values(sku, "12", "5"))

    assert form["title"]["text"] == f"Edit {draft_number}"
    assert "12 × Gateway Hub" in text_of(reply["replace"])
    assert "Discount: 5%" in text_of(reply["replace"])


def test_a_wrong_field_in_the_form_comes_back_under_that_field(client, draft_number):
    form = press(client, "quote_edit", draft_number)["open"]

    reply = submit(client, form, edit_values("GATEWAY-HUB", "0", "45"))

    assert set(reply["errors"]) == {"line_1_quantity", "discount"}
    assert "replace" not in reply


def test_another_rep_cannot_save_an_edit(client, book, draft_number):
    form = press(client, "quote_edit", draft_number)["open"]

    reply = submit(client, form, edit_values("GATEWAY-HUB", "99"), user=PRIYA)

    assert reply["post"]["ephemeral"] is True
    with session_scope(book) as session:
        quote = session.scalar(select(Quote).where(Quote.quote_number == draft_number))
        assert [item.quantity for item in quote.items] == [10]
