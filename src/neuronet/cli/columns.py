"""Choosing the feature columns of a CSV: ``--drop``, ``--keep``, empty columns and likely row IDs.

A column is a likely ID when every row holds a different value and the values are text, or integers
forming one run (7, 8, 9, ...): one-hot encoding it would give one column per row, and a new file's IDs
are never seen in training. Such columns are dropped with a warning unless named in ``--keep``. Floats
are never taken for IDs (a measurement is often distinct in every row).

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"id": range(12), "name": [f"n{i}" for i in range(12)], "x": [0.5] * 12})
    >>> likely_ids(frame, ["id", "name", "x"])
    ['id', 'name']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from neuronet.cli.errors import CLIError

MIN_ROWS_FOR_ID = 10       # with fewer rows a distinct value per row says nothing


def likely_ids(frame: pd.DataFrame, columns) -> list:
    n = len(frame)
    if n < MIN_ROWS_FOR_ID:
        return []
    out = []
    dtypes = frame.dtypes
    for col in columns:
        if pd.api.types.is_float_dtype(dtypes[col]) or pd.api.types.is_bool_dtype(dtypes[col]):
            continue
        series = frame[col]
        if series.isna().any() or series.nunique() != n:
            continue
        if pd.api.types.is_integer_dtype(series):
            values = series.to_numpy(dtype=np.int64)
            if int(values.max()) - int(values.min()) != n - 1:
                continue
        out.append(col)
    return out


def choose_features(frame: pd.DataFrame, target, drop, keep, ordinal, path, warn) -> list:
    """The feature columns: every column but the target, ``drop``, empty columns and likely IDs
    (``keep`` rescues those); ``warn`` is told what was left out and why."""
    present = set(frame.columns)
    for option, names in (("--drop", drop), ("--keep", keep)):
        unknown = [c for c in names if c not in present]
        if unknown:
            raise CLIError(f"{option}: {path} has no column {', '.join(map(repr, unknown))}; "
                           f"the file has: {', '.join(frame.columns)}")
    if target in drop:
        raise CLIError(f"--drop: '{target}' is the target column; it cannot be dropped")
    dropped = set(drop)
    features = [c for c in frame.columns if c != target and c not in dropped]
    all_missing = frame.isna().all()
    empty = [c for c in features if all_missing[c]]
    if empty:
        warn(f"{path}: column(s) {', '.join(map(repr, empty))} hold no value at all; left out")
    ids = [c for c in likely_ids(frame, [c for c in features if c not in empty]) if c not in keep and c not in ordinal]
    if ids:
        warn(f"{path}: column(s) {', '.join(map(repr, ids))} hold a different value in every row (likely IDs); "
             f"left out (pass --keep {','.join(ids)} to use them)")
    left_out = set(empty) | set(ids)
    return [c for c in features if c not in left_out]


__all__ = ["choose_features", "likely_ids"]
