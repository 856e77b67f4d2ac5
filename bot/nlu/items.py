"""Products with the quantity asked for: "3 rack servers and 10 onboarding hrs".

A quantity stands before its product ("10 Analytics Suite", "4x analytics
suite", "five gateway hubs", "12 of the gateway hubs") or right after it with a
times sign ("Analytics Suite x4"). "a" or "an" counts as one, but only before a
product name that fits exactly one product, so "what goes with a network switch"
is no order. A product named without any quantity is not an item. The product
words are matched forgivingly against the store's names (``NameIndex``); words
that fit several products are passed on as typed, for the tool to ask which.

The text given here has money, discounts and quote numbers blanked out already,
so "$12,000" or "10% off" is never read as a quantity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.mentions import STOPWORDS, Mention, NameIndex, normalise
from bot.nlu.numbers import ONE_WORDS, count

# Words between which no product name runs: a new item or another topic starts.
BREAKS = frozenset({
    "and", "plus", "with", "for", "at", "to", "on", "by", "from", "per", "in",
    "into", "then", "also", "but", "or", "off", "each",
})  # fmt: skip
TIMES = frozenset({"x", "×", "*"})
MAX_PRODUCT_WORDS = 8
TOKEN = re.compile(r"[a-z0-9][a-z0-9&'.\-]*|[×*]|[^\sa-z0-9]")
PREFIX_TIMES = re.compile(r"(\d{1,5})[x×]")
SUFFIX_TIMES = re.compile(r"[x×](\d{1,5})")


@dataclass(frozen=True)
class _Quantity:
    """A quantity at token ``at``; ``weak`` for 'a'/'an', ``after`` for 'x4'."""

    at: int
    value: int
    weak: bool = False
    after: bool = False


def find_items(text: str, index: NameIndex) -> list[dict]:
    """Each product with a stated quantity, in the order they were typed.

    Returns a list of ``{"product": name, "quantity": int}``, where ``name`` is
    the store's spelling or, when the words fit several products, the words.
    """
    tokens = _tokens(text)
    used: set[int] = set()
    items = []
    for quantity in _quantities(tokens):
        if quantity.at in used:
            continue
        found = _product(tokens, quantity, index, used)
        if found is not None:
            name, taken = found
            used.update(taken)
            items.append({"product": name, "quantity": quantity.value})
    return items


def _tokens(text: str) -> list[str]:
    text = re.sub(r"(\d),(\d{3})\b", r"\1\2", text.lower())
    return TOKEN.findall(text)


def _quantities(tokens: list[str]) -> list[_Quantity]:
    found = []
    for at, token in enumerate(tokens):
        previous = tokens[at - 1] if at else ""
        following = tokens[at + 1] if at + 1 < len(tokens) else ""
        if match := SUFFIX_TIMES.fullmatch(token):
            found.append(_Quantity(at, int(match.group(1)), after=True))
        elif token in TIMES and count(following) and count(previous) is None:
            found.append(_Quantity(at, count(following), after=True))
        elif match := PREFIX_TIMES.fullmatch(token):
            found.append(_Quantity(at, int(match.group(1))))
        elif (value := count(token)) and previous not in TIMES:
            found.append(_Quantity(at, value))
        elif token in ONE_WORDS:
            found.append(_Quantity(at, 1, weak=True))
    return [quantity for quantity in found if quantity.value > 0]


def _product(
    tokens: list[str], quantity: _Quantity, index: NameIndex, used: set[int]
) -> tuple[str, list[int]] | None:
    """The product the quantity counts, and the tokens that name it."""
    positions = _window(tokens, quantity, used)
    if not positions:
        return None
    words = [normalise(tokens[at]) for at in positions]
    found = _touching(words, positions, quantity, index)
    if found is None and not (quantity.weak or quantity.after):
        found = _anywhere(words, positions, index)
    if found is None or (quantity.weak and found[0].name is None):
        return None
    mention, taken = found
    return mention.name or mention.typed, taken


def _touching(
    words: list[str], positions: list[int], quantity: _Quantity, index: NameIndex
) -> tuple[Mention, list[int]] | None:
    """The best name spelled by the words next to the quantity, longest first."""
    best = None
    for size in range(len(words), 0, -1):
        span = slice(len(words) - size, None) if quantity.after else slice(0, size)
        run = words[span]
        if run[0] in STOPWORDS or run[-1] in STOPWORDS:
            continue
        mention = index.match(" ".join(run))
        if mention and (best is None or mention.score > best[0].score):
            best = mention, positions[span]
    return best


def _anywhere(
    words: list[str], positions: list[int], index: NameIndex
) -> tuple[Mention, list[int]] | None:
    """A name further on: '10 seats of analytics suite'."""
    mention = index.find(" ".join(words))
    if mention is None:
        return None
    taken = _locate(words, positions, mention)
    return (mention, taken) if taken else None


def _window(tokens: list[str], quantity: _Quantity, used: set[int]) -> list[int]:
    """Positions of the words that may name the product, in text order.

    Numbers may be part of a name ("regency cakestand 3 tier"); the name is
    then matched with its digits, and a number it does not take counts the
    next item.
    """
    step = -1 if quantity.after else 1
    at = quantity.at + step
    positions: list[int] = []
    while 0 <= at < len(tokens) and len(positions) < MAX_PRODUCT_WORDS:
        token = tokens[at]
        if token in TIMES and not positions:
            at += step
            continue
        if at in used or not token[0].isalnum() or token in BREAKS:
            break
        if token in TIMES or PREFIX_TIMES.fullmatch(token):
            break
        if SUFFIX_TIMES.fullmatch(token):
            break
        positions.append(at)
        at += step
    return sorted(positions)


def _locate(
    words: list[str], positions: list[int], mention: Mention
) -> list[int] | None:
    """The positions of the words the mention matched, or None if not found."""
    typed = mention.typed.split()
    for start in range(len(words) - len(typed) + 1):
        if " ".join(words[start : start + len(typed)]).split() == typed:
            return positions[start : start + len(typed)]
    return None
