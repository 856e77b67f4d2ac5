"""Finding the store's names (customers, regions, categories) inside a message.

People type "why is northwind flagged", "initech's risk" or "acme corp": the
message is cut into short word runs, and each run is matched against every
known name, the name without its legal suffix ("Acme" for "Acme Corp") and, if
no other name starts the same way, its first word ("Northwind" for "Northwind
Traders"). A first word that several names share ("Acme" for "Acme Corp" and
"Acme Logistics") finds them all, and the caller asks which one. Digits must
agree exactly, so "Customer 12347" never stands in for "Customer 12346".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

MIN_SCORE = 88
MAX_WORDS = 5
# A first word shared by more names than this is too common to stand for them.
MAX_FAMILY = 5
LEGAL_SUFFIXES = frozenset({
    "co", "corp", "corporation", "company", "inc", "incorporated", "llc", "ltd",
    "limited", "plc", "gmbh", "ag", "sa",
})  # fmt: skip
STOPWORDS = frozenset({
    "a", "an", "and", "any", "are", "at", "be", "by", "can", "do", "does", "for",
    "from", "get", "give", "has", "have", "how", "i", "in", "is", "it", "its", "me",
    "my", "of", "on", "or", "our", "please", "pls", "show", "tell", "that", "the",
    "their", "them", "this", "to", "us", "was", "we", "what", "when", "which", "who",
    "why", "will", "with", "you", "your",
})  # fmt: skip
# Words that start many names but never stand for one on their own, and words
# of a question ("top 10 for the team", "next day", "best price") that a first
# word like "Team" of "Team Collaboration" would otherwise catch.
GENERIC_WORDS = frozenset({
    "account", "accounts", "client", "clients", "customer", "customers", "the",
    "best", "last", "new", "next", "sale", "sales", "team", "this", "top",
})  # fmt: skip
WORD = re.compile(r"[a-z0-9][a-z0-9&'.-]*")


@dataclass(frozen=True)
class Mention:
    """A name found in a message: ``name`` as the store spells it, or None.

    ``typed`` is the words that matched; ``candidates`` lists the names that
    tied when the words fit several equally well, and ``name`` is then None.
    """

    typed: str
    name: str | None
    score: float
    candidates: tuple[str, ...] = ()


class NameIndex:
    """The spellings by which each of ``names`` may be typed."""

    def __init__(self, names: tuple[str, ...] | list[str]) -> None:
        self.names = tuple(names)
        self.variants_: dict[str, set[str]] = {}
        first_words = Counter(_first_word(name) for name in self.names)
        full_names = {normalise(name) for name in self.names}
        for name in self.names:
            for variant in _variants(name, first_words, full_names):
                self.variants_.setdefault(variant, set()).add(name)
        self.choices_ = list(self.variants_)

    def find(self, text: str) -> Mention | None:
        """The best-matching name in ``text``, or None when nothing fits."""
        best: Mention | None = None
        for run in _word_runs(normalise(text)):
            mention = self.match(run)
            if mention and (best is None or _better(mention, best)):
                best = mention
        return best

    def match(self, run: str) -> Mention | None:
        """The name that the words ``run`` spell as a whole, or None."""
        found = process.extract(
            run, self.choices_, scorer=fuzz.ratio, score_cutoff=MIN_SCORE, limit=5
        )
        found = [(v, s) for v, s, _ in found if _digits(v) == _digits(run)]
        if not found:
            return None
        top = found[0][1]
        names = sorted({n for v, s in found if s == top for n in self.variants_[v]})
        if len(names) == 1:
            return Mention(run, names[0], top)
        return Mention(run, None, top, tuple(names))


def normalise(text: str) -> str:
    """Lower case, possessives dropped, punctuation to spaces."""
    text = re.sub(r"<[^>]*>", " ", text.lower())
    text = re.sub(r"'s\b|’s\b", "", text)
    return " ".join(WORD.findall(re.sub(r"[^\w&'.-]+", " ", text))).strip(".-")


def _variants(name: str, first_words: Counter, full_names: set[str]) -> set[str]:
    """The full name, the name without legal suffix, and maybe its first word."""
    full = normalise(name)
    words = full.split()
    variants = {full}
    core = [w for w in words if w.strip(".") not in LEGAL_SUFFIXES]
    if core and len(" ".join(core)) >= 4:
        variants.add(" ".join(core))
    first = _first_word(name)
    if (
        len(words) > 1
        and len(first) >= 4
        and first not in GENERIC_WORDS
        and first not in full_names
        and first_words[first] <= MAX_FAMILY
        and not _digits(first)
    ):
        variants.add(first)
    return variants


def _first_word(name: str) -> str:
    words = normalise(name).split()
    return words[0] if words else ""


def _word_runs(text: str):
    words = text.split()
    for size in range(min(MAX_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if run[0] in STOPWORDS or run[-1] in STOPWORDS:
                continue
            joined = " ".join(run)
            if len(joined) >= 3:
                yield joined


def _digits(text: str) -> str:
    return "".join(re.findall(r"\d+", text))


def _better(mention: Mention, best: Mention) -> bool:
    """Higher score wins; on a tie, one name over several, then the longer run."""
    if mention.score != best.score:
        return mention.score > best.score
    if (mention.name is None) != (best.name is None):
        return mention.name is not None
    return len(mention.typed) > len(best.typed)
