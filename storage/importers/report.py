"""What an import did, line by line accounted for."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one import; every line read was either imported or skipped.

    ``skipped`` maps a reason ("no customer id") to how many lines it covered, so
    ``lines_read == lines_imported + sum(skipped.values())`` always holds.
    """

    lines_read: int
    lines_imported: int
    skipped: dict[str, int] = field(default_factory=dict)
    quotes: int = 0
    customers_created: int = 0
    products_created: int = 0
    reps_created: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        lines = [
            f"Imported {self.lines_imported:,} of {self.lines_read:,} lines "
            f"as {self.quotes:,} quotes in {self.seconds:.1f} s.",
            f"Created {self.customers_created:,} customers, "
            f"{self.products_created:,} products and {self.reps_created:,} reps.",
        ]
        if self.skipped:
            reasons = ", ".join(
                f"{count:,} {reason}" for reason, count in self.skipped.items()
            )
            lines.append(f"Skipped {sum(self.skipped.values()):,} lines: {reasons}.")
        return "\n".join(lines)
