"""A stretch of calendar time a question is about: "last month", "in October"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    """Days from ``start`` up to, but not including, ``end``.

    ``label`` is how the period reads in an answer ("last month",
    "October 2026").
    """

    start: dt.date
    end: dt.date
    label: str

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(
                f"A period must end after it starts; got {self.start} to {self.end}."
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        start = self.start - dt.timedelta(days=self.days)
        return Period(start, self.start, f"the {self.days} days before")

    def to_dict(self) -> dict[str, str]:
        """Plain values for JSON: ISO dates and the label."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label,
        }

    def contains(self, moment: dt.date | dt.datetime) -> bool:
        day = moment.date() if isinstance(moment, dt.datetime) else moment
        return self.start <= day < self.end
