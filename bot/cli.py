"""The ``quotebot`` command line; see ``quotebot --help``.

Heavy modules are imported inside the commands so that start-up stays fast.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer

from bot.settings import get_settings

app = typer.Typer(no_args_is_help=True, add_completion=False)
db_app = typer.Typer(no_args_is_help=True, help="Create or migrate the store.")
import_app = typer.Typer(no_args_is_help=True, help="Import quotes into the store.")
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
snapshots_app = typer.Typer(no_args_is_help=True, help="Scheduled reports.")
app.add_typer(snapshots_app, name="snapshots")

DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL; default DATABASE_URL.")
]
TERMINAL_CHANNEL = "terminal"
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _database_url(db: str | None) -> str:
    return db or get_settings().database_url


def _fail(message: str) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


@app.callback()
def main_callback(
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Quote Builder Pro: answers sales questions from the team's SQL store."""
    from bot.logs import configure_logging, settings_secrets

    settings = get_settings()
    configure_logging(
        "DEBUG" if verbose else settings.log_level, settings_secrets(settings)
    )


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the schema to the latest version."""
    from storage.db import upgrade

    upgrade(_database_url(db))
    typer.echo("The store's schema is up to date.")


@app.command("demo-data")
def demo_data(
    db: DbOption = None,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same data.")] = 7,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing if the store has data.")
    ] = False,
) -> None:
    """Fill an empty store with realistic synthetic sales history."""
    from bot.progress import phase_progress
    from storage.db import session_scope, upgrade
    from storage.demo_data import generate_demo_data
    from storage.errors import StorageError
    from storage.queries import store_is_empty

    url = _database_url(db)
    upgrade(url)
    if if_empty:
        with session_scope(url) as session:
            if not store_is_empty(session):
                typer.echo("The store already has data; keeping it.")
                return
    try:
        with (
            phase_progress("Generating demo data") as progress,
            session_scope(url) as session,
        ):
            summary = generate_demo_data(session, seed=seed, progress=progress)
    except StorageError as error:
        raise _fail(str(error)) from error
    typer.echo(str(summary))


@import_app.command("quotes")
def import_quotes(file: Path, db: DbOption = None) -> None:
    """Import a CSV with one row per quote line (columns in the README)."""
    from storage.importers import import_quotes_csv

    _import(import_quotes_csv, file, db)


@import_app.command("online-retail")
def import_online_retail(file: Path, db: DbOption = None) -> None:
    """Import the UCI Online Retail file (.csv or .csv.gz)."""
    from storage.importers import import_online_retail

    _import(import_online_retail, file, db)


def _import(importer, file: Path, db: str | None) -> None:
    from bot.progress import line_progress
    from storage.db import session_scope, upgrade
    from storage.errors import StorageError

    if not file.exists():
        raise _fail(f"{file} does not exist.")
    url = _database_url(db)
    upgrade(url)
    try:
        with (
            line_progress(f"Importing {file.name}", file) as progress,
            session_scope(url) as session,
        ):
            report = importer(session, file, progress=progress)
    except StorageError as error:
        raise _fail(str(error)) from error
    typer.echo(str(report))


@app.command("nlu")
def nlu(
    words: Annotated[list[str], typer.Argument(metavar="TEXT | evaluate FILE")],
    db: DbOption = None,
    as_json: JsonOption = False,
    report: Annotated[
        Path | None, typer.Option(help="evaluate: write errors and a chart here.")
    ] = None,
) -> None:
    """Show how a message is understood: intent, confidence, entities.

    Customers, regions and categories are matched against the store's names.
    `quotebot nlu evaluate FILE.tsv` scores a `text<TAB>intent[<TAB>entities]`
    file instead.
    """
    if len(words) == 2 and words[0] == "evaluate":
        _nlu_evaluate(Path(words[1]), db, as_json, report)
        return

    from bot.nlu import classify
    from bot.nlu.entities import extract_entities

    text = " ".join(words)
    result = classify(text)
    payload = {
        "intent": result.intent,
        "confidence": result.confidence,
        "entities": extract_entities(text, _vocabulary(_database_url(db))),
        "alternatives": [
            {"intent": name, "confidence": p} for name, p in result.alternatives
        ],
    }
    if as_json:
        typer.echo(json.dumps(payload, default=_json_value))
    else:
        typer.echo(f"{result.intent} ({result.confidence:.0%}) {payload['entities']}")


def _nlu_evaluate(file: Path, db: str | None, as_json: bool, report: Path | None):
    """Intent and entity scores on a labelled file, and optionally a report."""
    from bot.nlu.entities import extract_entities
    from bot.nlu.evaluate import (
        EvaluationError,
        evaluate_examples,
        read_examples,
        write_report,
    )

    try:
        examples = read_examples(file)
    except (OSError, EvaluationError) as error:
        raise _fail(str(error)) from error
    vocabulary = _vocabulary(_database_url(db))
    scores = evaluate_examples(examples, lambda t: extract_entities(t, vocabulary))
    if report is not None:
        write_report(scores, report)
    if as_json:
        typer.echo(json.dumps(scores))
    else:
        typer.echo(
            f"intent accuracy {scores['accuracy']:.1%} on {len(examples)} "
            f"messages, {len(scores['errors'])} errors"
        )


def _json_value(value):
    """Entities that are not plain JSON: a period as its dates and label."""
    return value.to_dict() if hasattr(value, "to_dict") else str(value)


def _vocabulary(url: str):
    """The store's names, or None when the store is missing or empty."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import session_scope
    from tools.names import store_vocabulary

    parsed = make_url(url)
    if (
        parsed.get_backend_name() == "sqlite"
        and not Path(parsed.database or "").exists()
    ):
        return None
    try:
        with session_scope(url) as session:
            return store_vocabulary(session)
    except SQLAlchemyError:
        return None


@app.command("ask")
def ask(
    text: str,
    user: Annotated[str, typer.Option("--user", help="The asking rep's email.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer a question as the bot would in Slack, in the terminal.

    The question starts a new conversation, as a new Slack thread does: what
    it lacks is asked for, and ``quotebot chat`` carries a conversation on.
    """
    from bot.dialogue import ConversationKey, converse
    from storage.db import session_scope
    from tools.errors import ToolError
    from tools.people import requester_by_email

    conversation = ConversationKey(TERMINAL_CHANNEL, f"ask-{uuid.uuid4().hex}")
    try:
        with session_scope(_database_url(db)) as session:
            requester = requester_by_email(session, user)
            result = converse(session, requester, text, conversation, "cli")
    except ToolError as error:
        raise _fail(str(error)) from error
    chart_path = _save_chart(result) if result.chart else None
    if as_json:
        payload = result.to_dict() | {"chart_path": chart_path and str(chart_path)}
        typer.echo(json.dumps(payload, default=str))
        return
    _echo_answer(result, chart_path)


def _echo_answer(result, chart_path: Path | None) -> None:
    from bot.render import to_text

    typer.echo(to_text(result))
    if chart_path:
        typer.echo(f"\nChart: {chart_path}")


@app.command("chat")
def chat(
    user: Annotated[str, typer.Option("--user", help="The asking rep's email.")],
    db: DbOption = None,
) -> None:
    """Talk to the bot in the terminal, one message a line, until EOF or 'exit'.

    The bot remembers the conversation as it does in a Slack thread: it asks
    for what is missing and understands follow-ups such as "why?".
    """
    from bot.dialogue import ConversationKey, converse
    from storage.db import session_scope
    from tools.errors import ToolError
    from tools.people import requester_by_email

    url = _database_url(db)
    try:
        with session_scope(url) as session:
            requester = requester_by_email(session, user)
    except ToolError as error:
        raise _fail(str(error)) from error
    conversation = ConversationKey(TERMINAL_CHANNEL, f"cli-{requester.rep_id}")
    for line in _lines():
        with session_scope(url) as session:
            result = converse(session, requester, line, conversation, "cli")
        _echo_answer(result, _save_chart(result) if result.chart else None)


def _lines():
    """The typed lines, stripped, until EOF or 'exit'; a prompt on a terminal."""
    prompt = "> " if sys.stdin.isatty() else ""
    while True:
        typer.echo(prompt, nl=False)
        line = sys.stdin.readline()
        if not line or line.strip().lower() in ("exit", "quit"):
            return
        if line.strip():
            yield line.strip()


def _save_chart(result) -> Path:
    """Write the answer's chart under REPORTS_DIR and return where it went."""
    import datetime as dt

    from bot.render.charts import render_chart

    folder = Path(get_settings().reports_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{result.intent}-{stamp}.png"
    path.write_bytes(render_chart(result.chart))
    return path.resolve()


CountryOption = Annotated[
    str | None,
    typer.Option(
        help=(
            "ISO country code whose public holidays the models use, e.g. GB; "
            "default the country of 80% of the revenue, if there is one."
        )
    ),
]


@app.command("train")
def train(db: DbOption = None, country: CountryOption = None) -> None:
    """Backtest, fit and register every model; fill in actuals of past forecasts."""
    from bot.progress import phase_progress
    from storage.db import session_scope
    from tools.customer_training import train_customer_models
    from tools.training import holiday_country, train_forecasts

    with (
        phase_progress("Training") as progress,
        session_scope(_database_url(db)) as session,
    ):
        country = country or holiday_country(session)
        report = train_forecasts(session, progress=progress, country=country)
        customers = train_customer_models(session, progress=progress)
    typer.echo(f"Forecasting: selected {report['selected']} ({report['frequency']}).")
    registered = len(report["registered"]) + len(customers["registered"])
    typer.echo(f"Registered {registered} models.")


@app.command("evaluate")
def evaluate(
    db: DbOption = None, country: CountryOption = None, as_json: JsonOption = False
) -> None:
    """Backtest every model against its baselines on the store's data."""
    from storage.db import session_scope
    from tools.evaluation import evaluate_models
    from tools.training import holiday_country

    with session_scope(_database_url(db)) as session:
        report = evaluate_models(session, country=country or holiday_country(session))
    if as_json:
        typer.echo(json.dumps(report))
        return
    for section, result in report.items():
        if "models" not in result:
            scalars = {
                k: v for k, v in result.items() if not isinstance(v, dict | list)
            }
            typer.echo(
                f"{section}: " + "  ".join(f"{k} {v}" for k, v in scalars.items())
            )
            continue
        typer.echo(f"{section}: selected {result['selected']}")
        for name, metrics in result["models"].items():
            typer.echo(
                f"  {name:16} " + "  ".join(f"{k} {v}" for k, v in metrics.items())
            )


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Default HOST or 127.0.0.1.")] = None,
    port: Annotated[int | None, typer.Option(help="Default PORT or 3000.")] = None,
) -> None:
    """Serve Slack events over HTTP, /healthz and the local playground."""
    from bot.server import run_server
    from bot.settings import SettingsError

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    where = f"http://{host}:{port}/"
    if settings.slack_enabled:
        typer.echo(f"Slack events at {where}slack/events")
    else:
        typer.echo(f"No Slack credentials set: open the playground at {where}")
    try:
        run_server(settings, host, port)
    except SettingsError as error:
        raise _fail(str(error)) from error


@app.command("socket")
def socket() -> None:
    """Connect to Slack over Socket Mode (needs SLACK_APP_TOKEN)."""
    from bot.settings import SettingsError
    from bot.slack.app import run_socket_mode

    try:
        run_socket_mode(get_settings())
    except SettingsError as error:
        raise _fail(str(error)) from error


@snapshots_app.command("run-due")
def snapshots_run_due(db: DbOption = None) -> None:
    """Post the scheduled reports due now, each once; for cron instead of serve.

    Run it every few minutes with SCHEDULER_ENABLED=false on the servers.
    """
    from bot.slack.oauth import bot_client
    from bot.slack.scheduler import run_due_reports

    settings = get_settings()
    if not settings.slack_enabled:
        raise _fail(
            "Scheduled reports are posted to Slack: set SLACK_BOT_TOKEN, or "
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, first."
        )
    posted = run_due_reports(
        _database_url(db), lambda team_id: bot_client(settings, team_id)
    )
    typer.echo(f"Posted {posted} scheduled report{'s' if posted != 1 else ''}.")


def main() -> None:
    app(prog_name="quotebot")


if __name__ == "__main__":
    sys.exit(main())
