"""Finding customers by the name a person typed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Customer
from tools.matching import UnknownNameError, closest_name


class UnknownCustomerError(UnknownNameError):
    """No customer matches a name well enough; the message suggests close names."""

    def __init__(self, typed: str, suggestions: list[str]) -> None:
        super().__init__("customer", typed, suggestions)


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
    name, suggestions = closest_name(typed, by_name)
    if name is None:
        raise UnknownCustomerError(typed, suggestions)
    return by_name[name]
