"""The playground in a real headless Chromium: a conversation, buttons, a chart.

``quotebot serve`` runs as a subprocess without Slack credentials on a demo
store, and Debian's ``chromium`` is driven through Playwright (never a
downloaded browser). Without chromium the test skips, except under
QUOTEBOT_STRICT_TESTS=1.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from storage.db import session_scope
from storage.models import Customer, Product, SalesRep
from tests.conftest import STRICT_VARIABLE, strict
from tests.demo_stores import demo_store
from tests.e2e.conftest import free_port, running, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TODAY = dt.date(2026, 6, 30)
REP = "alex.rivera@example.com"
WAIT_MS = 90_000
BOT_MESSAGES = '.message[data-author="bot"]'


@pytest.fixture(scope="module")
def playground_store(tmp_path_factory) -> str:
    return demo_store(tmp_path_factory, TODAY)


@pytest.fixture(scope="module")
def playground_url(playground_store, tmp_path_factory):
    """``quotebot serve`` with no Slack variable or chat model, and no .env file."""
    port = free_port()
    unset = ("SLACK_", "QUOTEBOT_LLM")
    env = {k: v for k, v in os.environ.items() if not k.startswith(unset)}
    env["DATABASE_URL"] = playground_store
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    directory = tmp_path_factory.mktemp("playground")
    with running(command, directory, env=env, cwd=directory):
        wait_until(lambda: httpx.get(url + "/healthz").status_code == 200, "server", 60)
        yield url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing; install Debian's chromium package "
            "(apt-get install chromium)"
        )
        if strict():
            pytest.fail(f"{STRICT_VARIABLE}=1: {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, playground_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(playground_url)
    page.wait_for_selector("body[data-ready=true]")
    yield page
    context.close()


def send(page, text: str):
    """Type ``text`` in the composer and return the bot's answer to it."""
    answered = page.locator(BOT_MESSAGES).count()
    page.fill("#composer textarea", text)
    page.keyboard.press("Enter")
    return bot_message(page, answered + 1)


def bot_message(page, number: int):
    """The ``number``-th bot message (from 1), once it has arrived."""
    message = page.locator(BOT_MESSAGES).nth(number - 1)
    message.wait_for()
    return message


def alex_draft_details(url: str) -> tuple[str, str]:
    """One of Alex's accounts and a product name, to draft a quote with."""
    with session_scope(url) as session:
        alex = session.scalar(select(SalesRep).where(SalesRep.email == REP))
        account = session.scalar(
            select(Customer.name)
            .where(Customer.owner_rep_id == alex.id)
            .order_by(Customer.name)
        )
        product = session.scalar(select(Product.name).order_by(Product.name))
    return account, product


def test_a_conversation_in_chromium_answers_with_blocks_buttons_and_charts(
    page, playground_store, tmp_path
):
    page.select_option("#user", REP)

    churn = send(page, "what's my churn risk list")
    why = churn.locator('button[data-action-id^="churn_explain"]').first
    assert "Most at risk" in churn.inner_text()
    assert why.inner_text().startswith("Why")
    account = why.inner_text().removeprefix("Why ").rstrip("?").strip()
    answered = page.locator(BOT_MESSAGES).count()
    why.click()
    explanation = bot_message(page, answered + 1)
    assert account in explanation.inner_text()

    forecast = send(page, "forecast revenue for the next 90 days")
    chart = forecast.locator("img.bk-image-img")
    chart.wait_for()
    page.wait_for_function("image => image.complete", arg=chart.element_handle())
    assert chart.evaluate("image => image.naturalWidth") > 0

    customer, product = alex_draft_details(playground_store)
    assert "customer" in send(page, "draft a quote").inner_text().lower()
    send(page, customer)
    send(page, f"10 {product}")
    card = send(page, "no discount")
    assert customer in card.locator(".bk-header").inner_text()
    card.locator('button[data-action-id="quote_sent"]').click()
    card.locator('button[data-action-id="quote_won"]').wait_for()
    assert card.locator('button[data-action-id="quote_sent"]').count() == 0
    assert "sent" in card.inner_text().lower()

    screenshot = tmp_path / "playground.png"
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.screenshot(path=str(screenshot), full_page=True)
    keep_screenshot(screenshot)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 30_000


def test_discard_asks_for_confirmation_before_it_acts(page, playground_store):
    customer, product = alex_draft_details(playground_store)
    page.select_option("#user", REP)
    card = send(page, f"draft a quote for {customer}: 3 {product}, 5% off")
    discard = card.locator('button[data-action-id="quote_discard"]')
    presses = []
    page.on(
        "request",
        lambda request: presses.append(request) if "/action" in request.url else None,
    )

    discard.click()
    page.locator("#confirm .deny").click()
    discard.click()
    page.locator("#confirm .confirm-button").click()
    discard.wait_for(state="detached")

    assert len(presses) == 1
    assert "discarded" in card.inner_text().lower()


def test_edit_opens_the_quote_form_and_saving_it_updates_the_card(
    page, playground_store
):
    customer, product = alex_draft_details(playground_store)
    page.select_option("#user", REP)
    card = send(page, f"draft a quote for {customer}: 3 {product}, 5% off")
    card.locator('button[data-action-id="quote_edit"]').click()
    modal = page.locator("#modal")
    quantity = modal.locator('[data-block-id="line_1_quantity"] input')

    quantity.fill("7")
    modal.locator('[data-block-id="discount"] input').fill("55")
    modal.locator(".modal-submit").click()
    error = modal.locator('[data-block-id="discount"] .field-error')
    error.wait_for()
    refused = error.inner_text()
    modal.locator('[data-block-id="discount"] input').fill("10")
    modal.locator(".modal-submit").click()
    modal.wait_for(state="hidden")

    assert "at most 20% off" in refused
    assert f"7 × {product}" in card.inner_text()
    assert "Discount: 10%" in card.inner_text()


def test_the_playground_escapes_what_people_type(page):
    page.select_option("#user", REP)

    send(page, "<img src=x onerror=\"document.body.dataset.hacked='1'\"> *hi*")

    user_message = page.locator('.message[data-author="user"]').last
    assert "<img src=x" in user_message.inner_text()
    assert page.evaluate("document.body.dataset.hacked") is None


def test_mrkdwn_is_styled_like_slack_and_never_runs_markup(page):
    html = page.evaluate(
        "text => BlockKit.mrkdwn(text)",
        "*Acme* _late_ ~old~ `Q-1` churn_risk_list :warning: <https://x.io|site> "
        "<javascript:alert(1)|bad> <img src=x onerror=alert(1)>\n• one",
    )

    assert "<b>Acme</b> <i>late</i> <s>old</s> <code>Q-1</code>" in html
    assert "churn_risk_list ⚠️" in html
    assert '<a href="https://x.io"' in html
    assert "javascript:" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<div class="li">one</div>' in html


def keep_screenshot(screenshot: Path) -> None:
    """Copy the screenshot to REPORTS_DIR when one is set, for people to look at."""
    reports = os.environ.get("REPORTS_DIR")
    if reports:
        Path(reports).mkdir(parents=True, exist_ok=True)
        shutil.copy(screenshot, Path(reports) / "playground.png")
