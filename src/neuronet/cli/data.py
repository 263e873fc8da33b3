"""Reading a CSV for the command line, with one-line errors naming the file and column."""
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from neuronet.cli.errors import CLIError

MAX_CLASSES_FOR_INTEGERS = 20


def read_csv(path) -> pd.DataFrame:
    """The CSV as a DataFrame; CLIError for a missing, unreadable or empty file."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise CLIError(f"{path}: no such file")
    if os.path.isdir(path):
        raise CLIError(f"{path}: is a directory, expected a CSV file")
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise CLIError(f"{path}: the CSV file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise CLIError(f"{path}: could not be read as CSV: {exc}") from None
    if frame.shape[0] == 0:
        raise CLIError(f"{path}: the CSV file has a header but no data rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    dupes = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    if dupes:
        raise CLIError(f"{path}: duplicate column names {dupes}")
    return frame


def require_columns(frame: pd.DataFrame, columns, path, what="column") -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        shown = ", ".join(map(repr, missing))
        raise CLIError(f"{path}: missing {what}{'s' if len(missing) > 1 else ''} {shown}; "
                       f"the file has: {', '.join(frame.columns)}")


def check_missing_values(frame: pd.DataFrame, columns, path) -> None:
    """CLIError for an all-NaN column, or for any missing value (neuronet does not impute silently)."""
    for col in columns:
        n_missing = int(frame[col].isna().sum())
        if n_missing == len(frame):
            raise CLIError(f"{path}: column '{col}' is empty (all {n_missing} values are missing); "
                           f"drop it from the file")
        if n_missing:
            first = int(np.flatnonzero(frame[col].isna().to_numpy())[0])
            raise CLIError(f"{path}: column '{col}' has {n_missing} missing value(s), the first in data row "
                           f"{first + 1}; fill or drop them before training")


def is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def infer_task(target: pd.Series) -> str:
    """'classification' for strings, booleans and integer labels with few distinct values, else 'regression'."""
    if not is_numeric(target):
        return "classification"
    values = target.to_numpy(dtype=np.float64)
    integral = np.all(values == np.round(values))
    return "classification" if integral and target.nunique() <= MAX_CLASSES_FOR_INTEGERS else "regression"


def infer_columns(frame: pd.DataFrame, features, ordinal) -> tuple[list, list, list]:
    """(numeric, categorical, ordinal) feature columns; ``ordinal`` names are taken out of the others."""
    numeric = [c for c in features if c not in ordinal and is_numeric(frame[c])]
    categorical = [c for c in features if c not in ordinal and not is_numeric(frame[c])]
    return numeric, categorical, [c for c in features if c in ordinal]


def as_category_strings(series: pd.Series) -> pd.Series:
    """Category values as Python strings (so JSON, training and prediction agree on them)."""
    return series.map(lambda v: str(v).strip()).astype(object)
