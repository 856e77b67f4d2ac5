"""What happens when a listener fails: a traceback in the log, a sentence for the user.

Bolt passes an exception raised while acking to the app's error handler
(``on_error``), but only logs one line for an exception in a lazy function.
``reported`` wraps a lazy function so its failures get the same treatment:
``logger.exception`` and ``delivery.SORRY`` where the person asked;
``report_lazy_failures`` wraps every lazy function an app has.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable

from slack_bolt import App, BoltResponse

from bot.slack.delivery import tell_sorry

logger = logging.getLogger(__name__)

_NEEDED = ("body", "client")


def reported(lazy: Callable[..., None]) -> Callable[..., None]:
    """``lazy``, logging any failure and telling the user ``SORRY``.

    Bolt gives a listener the arguments its parameters name; the wrapper
    names ``lazy``'s own plus ``body`` and ``client``, and passes ``lazy``
    only its own.
    """
    own = list(inspect.signature(lazy).parameters)

    @functools.wraps(lazy)
    def run(**kwargs) -> None:
        try:
            lazy(**{name: kwargs[name] for name in own})
        except Exception:
            logger.exception("the %s listener failed", lazy.__name__)
            tell_sorry(kwargs["client"], kwargs["body"])

    del run.__wrapped__
    run.reported = True
    names = own + [name for name in _NEEDED if name not in own]
    run.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
    )
    return run


def report_lazy_failures(app: App) -> None:
    """Wrap every lazy function registered on ``app`` with ``reported``, once.

    Bolt has no public way to reach its listeners, hence ``_listeners``.
    """
    for listener in app._listeners:
        listener.lazy_functions = [
            lazy if getattr(lazy, "reported", False) else reported(lazy)
            for lazy in listener.lazy_functions
        ]


def on_error(error: Exception, body: dict, client) -> BoltResponse:
    """Bolt's global error handler: log, tell the user, answer Slack 200.

    A 200 keeps Slack from retrying a request that would only fail again.
    """
    logger.exception("a Slack listener failed", exc_info=error)
    if body and client is not None:
        tell_sorry(client, body)
    return BoltResponse(status=200, body="")
