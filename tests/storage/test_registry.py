"""The model registry, the training cache and frames stored as bytes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from storage.db import session_scope
from storage.errors import StorageError, UnknownRecordError
from storage.models import MLModel, TrainingCache
from storage.registry import (
    CACHE_FINGERPRINTS_KEPT,
    cache_get,
    cache_put,
    fingerprint_frame,
    frame_from_bytes,
    frame_to_bytes,
    latest_model,
    list_models,
    model_version,
    register_model,
)

ROOT = Path(__file__).parents[2]


def register(session, name="revenue_forecast", artifact=b"model", **overrides):
    arguments = {
        "name": name,
        "model_type": "prophet",
        "artifact_format": "json",
        "artifact": artifact,
        "data_fingerprint": "f" * 64,
        "metrics": {"mae": 12.5},
        **overrides,
    }
    return register_model(session, **arguments)


def sales_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
            "customer": ["Acme Corp", "Globex", None],
            "quotes": [3, 0, 7],
            "revenue": [1250.75, np.nan, 0.1 + 0.2],
        }
    )


# --- registry ---------------------------------------------------------------


def test_a_registered_model_comes_back_with_identical_bytes_and_json(store_url):
    artifact = bytes(range(256)) * 40
    metrics = {"mae": 12.5, "folds": [1.0, 2.5], "baseline": {"name": "naive"}}
    params = {"seasonality": "weekly", "changepoints": 25, "holidays": None}

    with session_scope(store_url) as session:
        registered = register(
            session, artifact=artifact, metrics=metrics, params=params
        )
    with session_scope(store_url) as session:
        loaded = model_version(session, "revenue_forecast", 1)

    assert loaded == registered
    assert loaded.artifact == artifact
    assert loaded.metrics == metrics
    assert loaded.params == params
    assert isinstance(loaded.created_at, dt.datetime)


def test_registering_a_model_twice_gives_versions_one_and_two(store_url):
    with session_scope(store_url) as session:
        first = register(session)
        second = register(session)

    assert (first.version, second.version) == (1, 2)


def test_each_model_name_counts_its_own_versions(store_url):
    with session_scope(store_url) as session:
        register(session, "revenue_forecast")
        register(session, "revenue_forecast")
        churn = register(session, "churn")

    assert churn.version == 1


def test_latest_model_is_the_newest_version_and_a_named_version_is_that_one(
    store_url,
):
    with session_scope(store_url) as session:
        for artifact in (b"v1", b"v2", b"v3"):
            register(session, artifact=artifact)

    with session_scope(store_url) as session:
        latest = latest_model(session, "revenue_forecast")
        second = model_version(session, "revenue_forecast", 2)

    assert (latest.version, latest.artifact) == (3, b"v3")
    assert (second.version, second.artifact) == (2, b"v2")


def test_latest_model_of_a_name_never_registered_is_none(store_url):
    with session_scope(store_url) as session:
        assert latest_model(session, "churn") is None


def test_an_unknown_version_error_lists_the_versions_available(store_url):
    with session_scope(store_url) as session:
        register(session, "x")
        register(session, "x")

        with pytest.raises(UnknownRecordError) as error:
            model_version(session, "x", 3)

    assert str(error.value) == "No model 'x' version 3; versions available: 1, 2."


def test_an_unknown_model_error_says_to_train_it(store_url):
    with (
        session_scope(store_url) as session,
        pytest.raises(UnknownRecordError) as error,
    ):
        model_version(session, "churn", 1)

    assert "No model 'churn' is registered" in str(error.value)
    assert "quotebot train" in str(error.value)


def test_list_models_orders_by_name_and_version_without_artifacts(store_url):
    with session_scope(store_url) as session:
        register(session, "revenue_forecast")
        register(session, "churn")
        register(session, "churn")

    with session_scope(store_url) as session:
        everything = list_models(session)
        churn = list_models(session, "churn")

    assert [(m.name, m.version) for m in everything] == [
        ("churn", 1),
        ("churn", 2),
        ("revenue_forecast", 1),
    ]
    assert [m.version for m in churn] == [1, 2]
    assert all(m.artifact is None for m in everything)


def test_a_registration_rolls_back_with_the_callers_transaction(store_url):
    with pytest.raises(RuntimeError), session_scope(store_url) as session:
        register(session)
        raise RuntimeError("training failed after registering")

    with session_scope(store_url) as session:
        assert session.scalar(select(func.count()).select_from(MLModel)) == 0


def test_numpy_metrics_are_stored_as_plain_json(store_url):
    metrics = {"auc": np.float64(0.81), "n": np.int64(4338), "brier": float("nan")}

    with session_scope(store_url) as session:
        register(session, "churn", metrics=metrics)
    with session_scope(store_url) as session:
        stored = latest_model(session, "churn").metrics

    assert stored == {"auc": 0.81, "n": 4338, "brier": None}


def test_an_artifact_that_is_not_bytes_is_refused(sqlite_url):
    with session_scope(sqlite_url) as session, pytest.raises(StorageError) as error:
        register(session, artifact="not bytes")

    assert "serialise the fitted model" in str(error.value)


@pytest.mark.postgres
def test_concurrent_trainings_get_distinct_consecutive_versions(postgres_url):
    def train(_worker: int) -> list[int]:
        versions = []
        for _ in range(3):
            with session_scope(postgres_url) as session:
                versions.append(register(session).version)
        return versions

    with ThreadPoolExecutor(max_workers=6) as pool:
        versions = [v for batch in pool.map(train, range(6)) for v in batch]

    assert sorted(versions) == list(range(1, 19))


# --- fingerprints -----------------------------------------------------------


def test_a_fingerprint_is_a_sha256_hex_digest_of_equal_content():
    fingerprint = fingerprint_frame(sales_frame())

    assert fingerprint == fingerprint_frame(sales_frame().copy())
    assert len(fingerprint) == 64
    assert int(fingerprint, 16) >= 0


def test_a_fingerprint_is_the_same_in_another_process():
    code = (
        "from tests.storage.test_registry import sales_frame;"
        "from storage.registry import fingerprint_frame;"
        "print(fingerprint_frame(sales_frame()))"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == fingerprint_frame(sales_frame())


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda f: f.assign(quotes=[3, 0, 8]), id="a changed value"),
        pytest.param(lambda f: f.iloc[[1, 0, 2]], id="a changed row order"),
        pytest.param(lambda f: f.iloc[[1, 0, 2]].reset_index(drop=True), id="rows"),
        pytest.param(lambda f: f.rename(columns={"quotes": "n"}), id="a column name"),
        pytest.param(lambda f: f.astype({"quotes": "float64"}), id="a dtype"),
        pytest.param(lambda f: f.iloc[:2], id="a dropped row"),
    ],
)
def test_a_fingerprint_changes_with(change):
    frame = sales_frame()

    assert fingerprint_frame(change(frame)) != fingerprint_frame(frame)


# --- training cache ---------------------------------------------------------


def test_the_cache_misses_until_a_payload_is_put_for_that_fingerprint(store_url):
    with session_scope(store_url) as session:
        assert cache_get(session, "churn_features", "a" * 64) is None
        cache_put(session, "churn_features", "a" * 64, "json", b"payload")

    with session_scope(store_url) as session:
        assert cache_get(session, "churn_features", "a" * 64) == ("json", b"payload")
        assert cache_get(session, "churn_features", "b" * 64) is None
        assert cache_get(session, "rfm_features", "a" * 64) is None


def test_putting_the_same_key_and_fingerprint_again_replaces_the_payload(store_url):
    with session_scope(store_url) as session:
        cache_put(session, "churn_features", "a" * 64, "json", b"old")
        cache_put(session, "churn_features", "a" * 64, "csv", b"new")

    with session_scope(store_url) as session:
        assert cache_get(session, "churn_features", "a" * 64) == ("csv", b"new")
        assert session.scalar(select(func.count()).select_from(TrainingCache)) == 1


def test_the_cache_keeps_only_the_newest_fingerprints_of_a_key(store_url):
    fingerprints = [str(n) * 64 for n in range(5)]
    with session_scope(store_url) as session:
        cache_put(session, "rfm_features", "r" * 64, "json", b"other key")
        for fingerprint in fingerprints:
            cache_put(session, "churn_features", fingerprint, "json", b"x")

    with session_scope(store_url) as session:
        kept = [
            fingerprint
            for fingerprint in fingerprints
            if cache_get(session, "churn_features", fingerprint) is not None
        ]
        other = cache_get(session, "rfm_features", "r" * 64)

    assert kept == fingerprints[-CACHE_FINGERPRINTS_KEPT:]
    assert other == ("json", b"other key")


def test_rewriting_an_old_fingerprint_saves_it_from_pruning(store_url):
    with session_scope(store_url) as session:
        for fingerprint in ("a" * 64, "b" * 64, "c" * 64):
            cache_put(session, "churn_features", fingerprint, "json", b"x")
        cache_put(session, "churn_features", "a" * 64, "json", b"again")
        cache_put(session, "churn_features", "d" * 64, "json", b"x")

    with session_scope(store_url) as session:
        assert cache_get(session, "churn_features", "a" * 64) == ("json", b"again")
        assert cache_get(session, "churn_features", "b" * 64) is None


# --- frames as bytes --------------------------------------------------------


def test_a_frame_survives_the_round_trip_through_bytes():
    frame = sales_frame().assign(
        ordered_on=[dt.date(2024, 1, 1), None, dt.date(2024, 2, 29)],
        won=[True, False, True],
        seen_at=pd.to_datetime(["2024-01-01 09:30", None, "2024-03-31 02:30"])
        .tz_localize("UTC")
        .tz_convert("Europe/Berlin"),
    )

    fmt, payload = frame_to_bytes(frame)

    assert b"pickle" not in payload
    pd.testing.assert_frame_equal(frame_from_bytes(fmt, payload), frame)


def test_a_date_index_survives_the_round_trip_through_bytes():
    forecast = pd.DataFrame(
        {"yhat": [100.0, 110.5], "lower_80": [90.0, 99.9]},
        index=pd.date_range("2024-06-01", periods=2, freq="D", name="target_date"),
    )

    restored = frame_from_bytes(*frame_to_bytes(forecast))

    pd.testing.assert_frame_equal(restored, forecast, check_freq=True)


def test_a_frame_comes_back_from_the_cache_unchanged(store_url):
    frame = sales_frame()
    with session_scope(store_url) as session:
        cache_put(
            session, "daily_sales", fingerprint_frame(frame), *frame_to_bytes(frame)
        )

    with session_scope(store_url) as session:
        cached = cache_get(session, "daily_sales", fingerprint_frame(frame))

    pd.testing.assert_frame_equal(frame_from_bytes(*cached), frame)


def test_a_payload_in_an_unknown_format_is_refused():
    with pytest.raises(StorageError) as error:
        frame_from_bytes("pickle", b"\x80\x04")

    assert "Rebuild the cached entry" in str(error.value)


def test_a_column_of_timedeltas_is_refused_with_what_to_do():
    frame = pd.DataFrame({"gap": pd.to_timedelta([1, 2], unit="D")})

    with pytest.raises(StorageError) as error:
        frame_to_bytes(frame)

    assert "convert it to numbers" in str(error.value)
