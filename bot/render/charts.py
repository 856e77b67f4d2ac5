"""Charts as PNG bytes, drawn to stay readable at Slack's thumbnail size.

matplotlib is imported only when a chart is drawn, with the non-interactive
Agg backend, so the server and the CLI start without it.
"""

from __future__ import annotations

import io

from tools.results import Chart

SIZE_INCHES = (8.0, 4.5)
DPI = 110
HISTORY_COLOUR = "#1d1c1d"
FORECAST_COLOUR = "#1264a3"
RISK_COLOUR = "#e01e5a"
# Distinct, colour-blind-friendly colours for up to eight segments.
SEGMENT_COLOURS = (
    "#1264a3", "#e8912d", "#2bac76", "#e01e5a", "#7c3085", "#36c5f0", "#616061",
    "#ecb22e",
)  # fmt: skip


def render_chart(chart: Chart) -> bytes:
    """Draw ``chart`` and return it as PNG bytes."""
    drawers = {"forecast": _forecast, "bars": _bars, "scatter": _scatter}
    if chart.kind not in drawers:
        raise ValueError(f"No drawing for charts of kind {chart.kind!r}.")
    return drawers[chart.kind](chart)


def _forecast(chart: Chart) -> bytes:
    import pandas as pd

    figure, axes = _figure(chart.title)
    history = chart.data["history"]
    forecast = chart.data["forecast"]
    history_dates = pd.to_datetime(history["dates"])
    dates = pd.to_datetime(forecast["dates"])

    axes.plot(
        history_dates, history["values"], color=HISTORY_COLOUR, lw=1.6, label="booked"
    )
    axes.fill_between(
        dates,
        forecast["lower_95"],
        forecast["upper_95"],
        color=FORECAST_COLOUR,
        alpha=0.15,
        lw=0,
        label="95% interval",
    )
    axes.fill_between(
        dates,
        forecast["lower_80"],
        forecast["upper_80"],
        color=FORECAST_COLOUR,
        alpha=0.3,
        lw=0,
        label="80% interval",
    )
    axes.plot(dates, forecast["yhat"], color=FORECAST_COLOUR, lw=2.4, label="forecast")
    axes.set_ylim(bottom=0)
    axes.legend(loc="upper left", fontsize=11, frameon=False, ncol=2)
    return _png(figure)


def _bars(chart: Chart) -> bytes:
    """Horizontal bars, largest at the top: ``labels``, ``values``, ``format``.

    ``format`` is "percent" (values 0 to 1) or "money".
    """
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    labels, values = chart.data["labels"], chart.data["values"]
    percent = chart.data.get("format") == "percent"
    figure, axes = _figure(chart.title)
    axes.barh(range(len(values)), values, color=chart.data.get("colour", RISK_COLOUR))
    axes.set_yticks(range(len(labels)), labels=[_short(label) for label in labels])
    axes.invert_yaxis()
    axes.grid(axis="y", alpha=0)
    axes.grid(axis="x", alpha=0.3)
    if percent:
        axes.set_xlim(0, 1)
        axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    else:
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _money(value)))
    if chart.data.get("axis_label"):
        axes.set_xlabel(chart.data["axis_label"], fontsize=11)
    return _png(figure)


def _scatter(chart: Chart) -> bytes:
    """Points coloured by group on log axes: ``x``, ``y``, ``groups``, axis labels."""
    data = chart.data
    figure, axes = _figure(chart.title)
    names = list(dict.fromkeys(data["groups"]))
    for colour, name in zip(SEGMENT_COLOURS * 2, names, strict=False):
        points = [i for i, group in enumerate(data["groups"]) if group == name]
        axes.scatter(
            [data["x"][i] for i in points],
            [data["y"][i] for i in points],
            s=22,
            alpha=0.7,
            color=colour,
            label=name,
        )
    from matplotlib.ticker import FuncFormatter

    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _money(value)))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.set_xlabel(data["x_label"], fontsize=11)
    axes.set_ylabel(data["y_label"], fontsize=11)
    axes.legend(loc="upper left", fontsize=10, frameon=False)
    return _png(figure)


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _figure(title: str):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter

    figure, axes = pyplot.subplots(figsize=SIZE_INCHES, dpi=DPI)
    axes.set_title(title, fontsize=15, loc="left", fontweight="bold")
    axes.tick_params(labelsize=11)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _money(value)))
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _png(figure) -> bytes:
    from matplotlib import pyplot

    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    pyplot.close(figure)
    return buffer.getvalue()


def _money(value: float) -> str:
    """Short money labels: 950, 12k, 1.2M."""
    if abs(value) >= 1e6:
        return f"{value / 1e6:.1f}M"
    if abs(value) >= 1e3:
        return f"{value / 1e3:.0f}k"
    return f"{value:.0f}"
