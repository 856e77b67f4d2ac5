"""Finding products by the name or SKU a person typed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Product
from tools.matching import UnknownNameError, closest_name


class UnknownProductError(UnknownNameError):
    """No product matches a name well enough; the message suggests close names."""

    def __init__(self, typed: str, suggestions: list[str]) -> None:
        super().__init__("product", typed, suggestions)


def find_product(session: Session, typed: str) -> Product:
    """The product named (or with the SKU) ``typed``, or the closest names."""
    wanted = typed.strip().lower()
    exact = session.scalar(
        select(Product).where(
            (func.lower(Product.name) == wanted) | (func.lower(Product.sku) == wanted)
        )
    )
    if exact is not None:
        return exact

    by_name = {product.name: product for product in session.scalars(select(Product))}
    name, suggestions = closest_name(typed, by_name)
    if name is None:
        raise UnknownProductError(typed, suggestions)
    return by_name[name]
