"""Finding customers by the name a person typed."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Customer
from tools.errors import ToolError

MATCH_THRESHOLD = 85
SUGGESTION_THRESHOLD = 60


class UnknownCustomerError(ToolError):
    """No customer matches a name well enough; the message suggests close names."""

    def __init__(self, typed: str, suggestions: list[str]) -> None:
        hint = f" Did you mean {_or_list(suggestions)}?" if suggestions else ""
        super().__init__(f"No customer matches '{typed}'.{hint}")
        self.suggestions = suggestions


@dataclass(frozen=True)
class CustomerMatch:
    id: int
    name: str
    owner_rep_id: int | None


def find_customer(session: Session, typed: str) -> CustomerMatch:
    """The customer named ``typed``: exact (any case) first, then a close match."""
    exact = session.execute(
        select(Customer.id, Customer.name, Customer.owner_rep_id).where(
            func.lower(Customer.name) == typed.strip().lower()
        )
    ).first()
    if exact:
        return CustomerMatch(*exact)

    rows = session.execute(select(Customer.id, Customer.name, Customer.owner_rep_id))
    by_name = {name: CustomerMatch(id_, name, owner) for id_, name, owner in rows}
    ranked = process.extract(
        typed,
        list(by_name),
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=3,
    )
    if ranked and ranked[0][1] >= MATCH_THRESHOLD and _clear_winner(ranked):
        return by_name[ranked[0][0]]
    suggestions = [name for name, score, _ in ranked if score >= SUGGESTION_THRESHOLD]
    raise UnknownCustomerError(typed, suggestions)


def _clear_winner(ranked) -> bool:
    return len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= 5


def _or_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" or {names[-1]}"
