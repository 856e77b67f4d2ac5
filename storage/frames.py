"""Frames and JSON values as bytes the store can keep, without pickle.

pyarrow is not a dependency, so a frame is stored as zlib-compressed JSON in
the spirit of pandas' "split" orient: columns, index and data apart. The data
is kept column by column with each column's dtype, so a frame comes back with
the dtypes it went in with:

- numbers and booleans exactly (floats by their shortest exact repr), NaN kept;
- datetimes as ISO 8601 strings, naive or with their time zone, NaT kept;
- strings, nullable ``Int64``/``boolean`` columns and categoricals (their
  values; the order of the categories is not kept);
- object columns of ``datetime.date`` come back as dates, other object columns
  as JSON values (Decimal becomes float);
- the index when it is not the default one, with its names, dtype and the
  ``freq`` of a ``DatetimeIndex``.

Timedeltas, periods, intervals and nested objects raise ``StorageError``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zlib
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from storage.errors import StorageError

FRAME_FORMAT = "json-split+zlib"


def frame_to_bytes(frame: pd.DataFrame) -> tuple[str, bytes]:
    """``(FRAME_FORMAT, payload)`` for ``frame``; see the module docstring."""
    document = {
        "length": len(frame),
        "names": [json_safe(name) for name in frame.columns],
        "columns": [_encode(frame.iloc[:, i]) for i in range(frame.shape[1])],
        "index": _encode_index(frame.index),
    }
    text = json.dumps(document, separators=(",", ":"))
    return FRAME_FORMAT, zlib.compress(text.encode())


def frame_from_bytes(fmt: str, payload: bytes) -> pd.DataFrame:
    """The frame ``frame_to_bytes`` stored as ``(fmt, payload)``."""
    if fmt != FRAME_FORMAT:
        raise StorageError(
            f"Cannot read a frame stored as {fmt!r}; this version reads only "
            f"{FRAME_FORMAT!r}. Rebuild the cached entry to store it again."
        )
    document = json.loads(zlib.decompress(payload))

    columns = [_decode(entry).rename(i) for i, entry in enumerate(document["columns"])]
    if columns:
        frame = pd.concat(columns, axis=1)
    else:
        frame = pd.DataFrame(index=pd.RangeIndex(document["length"]))
    frame.columns = pd.Index(document["names"]) if columns else pd.RangeIndex(0)

    if document["index"] is not None:
        frame.index = _decode_index(document["index"])
    return frame


def json_safe(value: Any) -> Any:
    """``value`` as plain JSON: numpy scalars unwrapped, NaN and NaT as None,
    dates as ISO strings, Decimal as float, tuples and arrays as lists.

    Raises ``StorageError`` for anything JSON cannot hold.
    """
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [json_safe(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise StorageError(
        f"Cannot store a {type(value).__name__} ({value!r}) as JSON; convert it "
        "to a number, string, date, list or dict first."
    )


def _encode_index(index: pd.Index) -> list[dict[str, Any]] | None:
    default = pd.RangeIndex(len(index))
    if isinstance(index, pd.RangeIndex) and index.equals(default) and not index.name:
        return None
    levels = []
    for number in range(index.nlevels):
        entry = _encode(pd.Series(index.get_level_values(number)))
        entry["name"] = json_safe(index.names[number])
        levels.append(entry)
    if isinstance(index, pd.DatetimeIndex) and index.freq is not None:
        levels[0]["freq"] = index.freqstr
    return levels


def _decode_index(levels: list[dict[str, Any]]) -> pd.Index:
    arrays = [_decode(entry) for entry in levels]
    names = [entry["name"] for entry in levels]
    if len(arrays) > 1:
        return pd.MultiIndex.from_arrays(arrays, names=names)
    index = pd.Index(arrays[0], name=names[0])
    if "freq" in levels[0]:
        index = pd.DatetimeIndex(index, freq=levels[0]["freq"])
    return index


def _encode(column: pd.Series) -> dict[str, Any]:
    kind = column.dtype.kind
    if kind == "M":
        values = [None if pd.isna(t) else t.isoformat() for t in column]
        return {"dtype": str(column.dtype), "values": values}
    if kind == "f" and isinstance(column.dtype, np.dtype):
        values = [None if math.isnan(v) else v for v in column.tolist()]
        return {"dtype": str(column.dtype), "values": values}
    if kind in "iub" and isinstance(column.dtype, np.dtype):
        return {"dtype": str(column.dtype), "values": column.tolist()}
    if kind == "O" and _holds_dates(column):
        return {"dtype": "date", "values": [json_safe(v) for v in column]}
    if kind in "mVc" or isinstance(column.dtype, pd.PeriodDtype | pd.IntervalDtype):
        raise StorageError(
            f"Cannot store column {column.name!r} of dtype {column.dtype}; convert "
            "it to numbers, strings or datetimes first."
        )
    values = [json_safe(v) for v in column.astype(object)]
    return {"dtype": str(column.dtype), "values": values}


def _decode(entry: dict[str, Any]) -> pd.Series:
    dtype, values = entry["dtype"], entry["values"]
    if dtype == "date":
        dates = [None if v is None else dt.date.fromisoformat(v) for v in values]
        return pd.Series(dates, dtype=object)
    if dtype.startswith("datetime64"):
        aware = "," in dtype
        parsed = pd.to_datetime(values, format="ISO8601", utc=aware)
        return pd.Series(parsed).astype(dtype)
    return pd.Series(values, dtype=object).astype(pd.api.types.pandas_dtype(dtype))


def _holds_dates(column: pd.Series) -> bool:
    present = column.dropna()
    return len(present) > 0 and all(
        isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in present
    )
