"""The model registry and the training cache.

``quotebot train`` fits a model, serialises it and calls ``register_model``; the
registry numbers the versions of each model name 1, 2, 3... and keeps the
artifact, the fingerprint of the training data and the backtest metrics beside
it. Answers load a model back with ``latest_model`` or ``model_version``.

The training cache keeps features that are expensive to rebuild, keyed by what
they are (``key``) and by the fingerprint of the data they came from, so a
changed store misses the cache instead of serving stale features. Frames go in
and out of it through ``frame_to_bytes`` and ``frame_from_bytes``
(see ``storage.frames``: JSON, never pickle).

Every function works inside the caller's transaction and never commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Row, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.errors import StorageError, UnknownRecordError
from storage.frames import frame_from_bytes, frame_to_bytes, json_safe
from storage.models import MLModel, TrainingCache, utcnow

__all__ = [
    "ModelRecord",
    "cache_get",
    "cache_put",
    "fingerprint_frame",
    "frame_from_bytes",
    "frame_to_bytes",
    "latest_model",
    "list_models",
    "model_version",
    "register_model",
]

logger = logging.getLogger(__name__)

REGISTER_ATTEMPTS = 20
CACHE_FINGERPRINTS_KEPT = 3

_SUMMARY_COLUMNS = (
    MLModel.id,
    MLModel.name,
    MLModel.version,
    MLModel.model_type,
    MLModel.data_fingerprint,
    MLModel.metrics,
    MLModel.params,
    MLModel.artifact_format,
    MLModel.created_at,
)


@dataclass(frozen=True)
class ModelRecord:
    """One registered model version.

    ``artifact`` holds the serialised model when the record was loaded with it
    (``register_model``, ``latest_model``, ``model_version``) and is None from
    ``list_models``, which leaves the blobs in the store.
    """

    id: int
    name: str
    version: int
    model_type: str
    data_fingerprint: str
    metrics: dict[str, Any]
    params: dict[str, Any]
    artifact_format: str
    created_at: dt.datetime
    artifact: bytes | None = None


# --- registry ---------------------------------------------------------------


def register_model(
    session: Session,
    *,
    name: str,
    model_type: str,
    artifact_format: str,
    artifact: bytes,
    data_fingerprint: str,
    metrics: dict[str, Any],
    params: dict[str, Any] | None = None,
) -> ModelRecord:
    """Store a fitted model as the next version of ``name`` (the first is 1).

    The version is computed inside the INSERT. Two trainings that race for the
    same number meet the unique ``(name, version)`` constraint; the loser's
    INSERT is rolled back to a SAVEPOINT and retried with the next number.
    """
    if not isinstance(artifact, bytes | bytearray | memoryview):
        raise StorageError(
            f"The artifact of model {name!r} is a {type(artifact).__name__}, not "
            "bytes; serialise the fitted model first and pass the bytes."
        )
    values = {
        "name": name,
        "model_type": model_type,
        "data_fingerprint": data_fingerprint,
        "metrics": json_safe(metrics),
        "params": json_safe(params or {}),
        "artifact_format": artifact_format,
        "artifact": bytes(artifact),
        "created_at": utcnow(),
    }
    session.flush()

    model_id, version = _insert_next_version(session, values)

    logger.info(
        "registered model %s v%s (%s, %s bytes)",
        name,
        version,
        model_type,
        len(values["artifact"]),
    )
    return ModelRecord(id=model_id, version=version, **values)


def latest_model(session: Session, name: str) -> ModelRecord | None:
    """The newest version of ``name`` with its artifact, or None if none exists."""
    stmt = (
        select(*_SUMMARY_COLUMNS, MLModel.artifact)
        .where(MLModel.name == name)
        .order_by(MLModel.version.desc())
        .limit(1)
    )
    row = session.execute(stmt).first()
    return None if row is None else _record(row)


def model_version(session: Session, name: str, version: int) -> ModelRecord:
    """Version ``version`` of ``name`` with its artifact.

    Raises ``UnknownRecordError`` naming the versions that do exist.
    """
    stmt = select(*_SUMMARY_COLUMNS, MLModel.artifact).where(
        MLModel.name == name, MLModel.version == version
    )
    row = session.execute(stmt).first()
    if row is None:
        raise UnknownRecordError(_missing_version_message(session, name, version))
    return _record(row)


def list_models(session: Session, name: str | None = None) -> list[ModelRecord]:
    """Every registered version (of ``name`` only, if given), without artifacts.

    Ordered by name, then version. ``artifact`` is None on these records; load
    one with ``model_version`` when it is needed.
    """
    stmt = select(*_SUMMARY_COLUMNS).order_by(MLModel.name, MLModel.version)
    if name is not None:
        stmt = stmt.where(MLModel.name == name)
    return [_record(row) for row in session.execute(stmt)]


def _insert_next_version(session: Session, values: dict[str, Any]) -> tuple[int, int]:
    for attempt in range(1, REGISTER_ATTEMPTS + 1):
        try:
            with _savepoint(session):
                row = session.execute(_insert_statement(values)).one()
        except IntegrityError as error:
            if attempt == REGISTER_ATTEMPTS:
                raise StorageError(
                    f"Could not register model {values['name']!r}: other trainings "
                    f"took every version number {REGISTER_ATTEMPTS} times in a row. "
                    "Run the training again once they have finished."
                ) from error
            logger.debug("version of %s taken meanwhile; retrying", values["name"])
            continue
        return row.id, row.version
    raise AssertionError("unreachable")  # pragma: no cover


def _insert_statement(values: dict[str, Any]):
    existing = MLModel.__table__.alias("existing")
    next_version = (
        select(func.coalesce(func.max(existing.c.version), 0) + 1)
        .where(existing.c.name == values["name"])
        .scalar_subquery()
    )
    return (
        insert(MLModel)
        .values(version=next_version, **values)
        .returning(MLModel.id, MLModel.version)
    )


def _savepoint(session: Session) -> AbstractContextManager[Any]:
    """A SAVEPOINT to retry in, on stores where one is safe.

    The pysqlite driver opens no transaction before a SAVEPOINT, so releasing
    it would commit the caller's work. SQLite needs no retry anyway: an INSERT
    takes the single write lock before its subquery reads the versions.
    """
    if session.get_bind().dialect.name == "sqlite":
        return nullcontext()
    return session.begin_nested()


def _record(row: Row[Any]) -> ModelRecord:
    fields = dict(row._mapping)
    if fields.get("artifact") is not None:
        fields["artifact"] = bytes(fields["artifact"])
    return ModelRecord(**fields)


def _missing_version_message(session: Session, name: str, version: int) -> str:
    versions = session.scalars(
        select(MLModel.version).where(MLModel.name == name).order_by(MLModel.version)
    ).all()
    if not versions:
        return (
            f"No model {name!r} is registered; run `quotebot train` to register "
            "its first version."
        )
    listed = ", ".join(str(number) for number in versions)
    return f"No model {name!r} version {version}; versions available: {listed}."


# --- training data ----------------------------------------------------------


def fingerprint_frame(frame: pd.DataFrame) -> str:
    """A sha256 hex digest of a frame's content, the same in every process.

    Covers column names and dtypes, the index and every value, in row order.
    Uses pandas' keyed hashing (``hash_pandas_object``), never Python's
    ``hash()``, which changes from one process to the next.
    """
    header = {
        "columns": [[str(name), str(dtype)] for name, dtype in frame.dtypes.items()],
        "index": [str(name) for name in frame.index.names],
        "index_dtypes": [str(level.dtype) for level in _index_levels(frame.index)],
    }
    rows = pd.util.hash_pandas_object(frame, index=True).to_numpy()

    digest = hashlib.sha256(json.dumps(header).encode())
    digest.update(rows.astype("<u8").tobytes())
    return digest.hexdigest()


def cache_get(session: Session, key: str, fingerprint: str) -> tuple[str, bytes] | None:
    """The cached ``(payload_format, payload)`` for ``key`` built from this data."""
    stmt = select(TrainingCache.payload_format, TrainingCache.payload).where(
        TrainingCache.key == key, TrainingCache.data_fingerprint == fingerprint
    )
    row = session.execute(stmt).first()
    if row is None:
        logger.debug("training cache miss for %s", key)
        return None
    return row.payload_format, bytes(row.payload)


def cache_put(
    session: Session, key: str, fingerprint: str, payload_format: str, payload: bytes
) -> None:
    """Store (or replace) the payload of ``key`` for this data fingerprint.

    Keeps only the ``CACHE_FINGERPRINTS_KEPT`` most recently written
    fingerprints of ``key``; older ones are deleted, so the cache stays small.
    """
    values = {
        "key": key,
        "data_fingerprint": fingerprint,
        "payload_format": payload_format,
        "payload": bytes(payload),
        "created_at": utcnow(),
    }
    session.execute(_upsert_statement(session, values))

    pruned = session.execute(_prune_statement(key)).rowcount
    logger.debug("cached %s (%s bytes); pruned %s old", key, len(payload), pruned)


def _upsert_statement(session: Session, values: dict[str, Any]):
    dialect = session.get_bind().dialect.name
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert_(TrainingCache).values(**values)
    return stmt.on_conflict_do_update(
        index_elements=["key", "data_fingerprint"],
        set_={
            "payload_format": stmt.excluded.payload_format,
            "payload": stmt.excluded.payload,
            "created_at": stmt.excluded.created_at,
        },
    )


def _prune_statement(key: str):
    newest = (
        select(TrainingCache.id)
        .where(TrainingCache.key == key)
        .order_by(TrainingCache.created_at.desc(), TrainingCache.id.desc())
        .limit(CACHE_FINGERPRINTS_KEPT)
    )
    return (
        delete(TrainingCache)
        .where(TrainingCache.key == key, TrainingCache.id.not_in(newest))
        .execution_options(synchronize_session=False)
    )


def _index_levels(index: pd.Index) -> list[pd.Index]:
    return [index.get_level_values(level) for level in range(index.nlevels)]
