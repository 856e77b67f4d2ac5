"""The demo sales team, and the word lists demo accounts are named from.

The team is fixed so that other code and tests can rely on it: Dana Whitfield
manages four reps, one per region, and every demo account is owned by a rep.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DemoRep:
    """One person of the demo team; ``email`` is their identity in the store."""

    name: str
    email: str
    role: str
    region: str


DEMO_MANAGER_EMAIL = "dana.whitfield@example.com"

DEMO_REPS: tuple[DemoRep, ...] = (
    DemoRep("Dana Whitfield", DEMO_MANAGER_EMAIL, "manager", "Global"),
    DemoRep("Alex Rivera", "alex.rivera@example.com", "rep", "North America East"),
    DemoRep("Priya Nair", "priya.nair@example.com", "rep", "EMEA"),
    DemoRep("Sam Okafor", "sam.okafor@example.com", "rep", "APAC"),
    DemoRep("Jordan Kim", "jordan.kim@example.com", "rep", "North America West"),
)

ACCOUNT_OWNERS: tuple[DemoRep, ...] = tuple(r for r in DEMO_REPS if r.role == "rep")

COUNTRIES_BY_REGION: dict[str, tuple[str, ...]] = {
    "North America East": ("United States", "United States", "Canada"),
    "North America West": ("United States", "United States", "Canada", "Mexico"),
    "EMEA": (
        "United Kingdom",
        "Germany",
        "France",
        "Netherlands",
        "Sweden",
        "Spain",
        "Ireland",
        "United Arab Emirates",
        "South Africa",
    ),
    "APAC": (
        "Australia",
        "Japan",
        "Singapore",
        "India",
        "New Zealand",
        "South Korea",
    ),
}

INDUSTRIES: tuple[str, ...] = (
    "Manufacturing",
    "Healthcare",
    "Logistics",
    "Retail",
    "Financial Services",
    "Energy",
    "Education",
    "Technology",
    "Food & Beverage",
    "Media",
    "Construction",
    "Pharmaceuticals",
    "Automotive",
    "Professional Services",
    "Telecommunications",
    "Hospitality",
)

# Company names are root + ending + suffix ("Ironbridge Logistics"), so every
# generated account has a first word of its own. The suffix hints at the
# industry where it obviously does; None means any industry.
NAME_ROOTS: tuple[str, ...] = (
    "Blue", "Iron", "Silver", "Bright", "Clear", "Stone", "Red", "Green",
    "Swift", "High", "Oak", "Pine", "Star", "Sun", "Cedar", "Granite",
    "Maple", "Copper", "Golden", "Harbor", "River", "Lake", "Ever", "Fair",
)  # fmt: skip
NAME_ENDINGS: tuple[str, ...] = (
    "wave", "gate", "field", "bridge", "point", "ridge", "line", "core",
    "stack", "path", "brook", "crest", "forge", "haven", "light", "peak",
    "rock", "vale", "wood", "spring",
)  # fmt: skip
NAME_SUFFIXES: dict[str, str | None] = {
    "Analytics": "Technology",
    "Systems": "Technology",
    "Software": "Technology",
    "Labs": "Technology",
    "Technologies": "Technology",
    "Networks": "Telecommunications",
    "Logistics": "Logistics",
    "Freight": "Logistics",
    "Health": "Healthcare",
    "Medical": "Healthcare",
    "Foods": "Food & Beverage",
    "Brewing": "Food & Beverage",
    "Manufacturing": "Manufacturing",
    "Industries": "Manufacturing",
    "Energy": "Energy",
    "Power": "Energy",
    "Retail": "Retail",
    "Outfitters": "Retail",
    "Capital": "Financial Services",
    "Financial": "Financial Services",
    "Media": "Media",
    "Studios": "Media",
    "Builders": "Construction",
    "Pharma": "Pharmaceuticals",
    "Motors": "Automotive",
    "Consulting": "Professional Services",
    "Partners": "Professional Services",
    "Learning": "Education",
    "Hotels": "Hospitality",
    "Group": None,
    "Holdings": None,
    "Solutions": None,
}

MAX_GENERATED_NAMES = len(NAME_ROOTS) * len(NAME_ENDINGS)

CONTACT_FIRST_NAMES: tuple[str, ...] = (
    "Maria", "James", "Aisha", "Tom", "Mei", "Lukas", "Sofia", "Daniel",
    "Hannah", "Ravi", "Chloe", "Omar", "Emma", "Kenji", "Laura", "Peter",
    "Fatima", "Mark", "Ingrid", "Carlos", "Nora", "Ben", "Yuki", "Grace",
)  # fmt: skip
CONTACT_TITLES: tuple[str, ...] = (
    "IT director",
    "CFO",
    "head of operations",
    "procurement lead",
    "CTO",
    "VP of sales ops",
    "infrastructure manager",
    "COO",
)


def company_names(rng: np.random.Generator, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (name, industry) pairs, each with its own first word."""
    roots = [r + e for r in NAME_ROOTS for e in NAME_ENDINGS]
    chosen = rng.choice(len(roots), size=count, replace=False)
    suffixes = list(NAME_SUFFIXES)
    picks = rng.integers(len(suffixes), size=count)
    industries = rng.integers(len(INDUSTRIES), size=count)

    names = []
    for root, pick, fallback in zip(chosen, picks, industries, strict=True):
        suffix = suffixes[pick]
        industry = NAME_SUFFIXES[suffix] or INDUSTRIES[fallback]
        names.append((f"{roots[root]} {suffix}", industry))
    return names
