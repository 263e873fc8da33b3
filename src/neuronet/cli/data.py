"""Reading a CSV for the command line, with one-line errors naming the file, column and row.

The separator is sniffed (``csv.Sniffer`` over ``, ; tab |``) unless given; the header is read with the
``csv`` module, so duplicate names are caught before pandas renames the copy to ``a.1``. Every check is one
pass over the cells: a 10,000-column file reads in linear time.
"""
from __future__ import annotations

import collections
import csv
import io
import os

import numpy as np
import pandas as pd

from neuronet.cli.errors import CLIError

MAX_CLASSES_FOR_INTEGERS = 20
SNIFF_BYTES = 1 << 16
SNIFF_DELIMITERS = ",;\t|"
FLOAT32_MAX = float(np.finfo(np.float32).max)


def sniff_separator(path, sample: str) -> str:
    """The separator of ``sample`` (the file's first bytes) among , ; tab |; ',' when unsure."""
    lines = sample.splitlines()
    complete = "\n".join(lines[:-1] if len(lines) > 1 else lines)  # the last line may be cut
    try:
        return csv.Sniffer().sniff(complete, delimiters=SNIFF_DELIMITERS).delimiter
    except csv.Error:
        return ","


def read_header(path, sep: str, encoding: str = "utf-8") -> list[str]:
    """The header row's names, stripped, as written (no renaming of duplicates)."""
    with open(path, newline="", encoding=encoding, errors="replace") as fh:
        row = next(csv.reader(fh, delimiter=sep), [])
    return [name.strip() for name in row]


def read_csv(path, sep=None, na_values=None) -> pd.DataFrame:
    """The CSV as a DataFrame (its separator in ``frame.attrs['sep']``); CLIError for a missing,
    unreadable, empty or ill-formed file."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise CLIError(f"{path}: no such file")
    if os.path.isdir(path):
        raise CLIError(f"{path}: is a directory, expected a CSV file")
    try:
        with open(path, "rb") as fh:
            sample = fh.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError as exc:
        raise CLIError(f"{path}: cannot read: {exc.strerror}") from None
    if not sample.strip():
        raise CLIError(f"{path}: the CSV file is empty")
    sep = sep or sniff_separator(path, sample)
    names = read_header(path, sep)
    dupes = [name for name, count in collections.Counter(names).items() if count > 1]
    if dupes:
        raise CLIError(f"{path}: duplicate column names {sorted(dupes)}; rename them so each is unique")
    try:
        frame = pd.read_csv(path, sep=sep, na_values=na_values, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise CLIError(f"{path}: the CSV file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise CLIError(f"{path}: could not be read as CSV with separator {sep!r} (use --sep to set it): "
                       f"{exc}") from None
    if frame.shape[0] == 0:
        raise CLIError(f"{path}: the CSV file has a header but no data rows")
    if len(names) != frame.shape[1]:
        raise CLIError(f"{path}: the header has {len(names)} names but the rows {frame.shape[1]} fields")
    frame.columns = names
    frame.attrs["sep"] = sep          # predictions are written with the input's separator
    check_finite(frame, path)
    return frame


def check_finite(frame: pd.DataFrame, path) -> None:
    """CLIError naming the column and row of the first infinity or value beyond float32's range."""
    numeric = frame.select_dtypes(include="number")
    if numeric.shape[1] == 0:
        return
    values = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(values) & ~(np.abs(values) <= FLOAT32_MAX)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        value = values[row, col]
        what = "infinity" if np.isinf(value) else "a value out of float32 range"
        raise CLIError(f"{path}: column '{numeric.columns[col]}' holds {what} ({float(value)!r}) in data row {row + 1}; "
                       f"replace it with a finite number (|x| <= {FLOAT32_MAX:.3g}) or leave the cell empty")


def check_stray_strings(frame: pd.DataFrame, columns, path) -> None:
    """CLIError for a text column that is numbers except for a few cells (a stray '?' or 'n/a'), naming
    the value and its row, instead of silently treating the column as categories."""
    dtypes = frame.dtypes
    for col in columns:
        if dtypes[col] != object and not pd.api.types.is_string_dtype(dtypes[col]):
            continue
        present = frame[col].dropna()
        numbers = pd.to_numeric(present, errors="coerce")
        n_bad = int(numbers.isna().sum())
        if 0 < n_bad <= max(1, len(present) // 10) and n_bad < len(present):
            first = present.index[numbers.isna().to_numpy()][0]
            row = int(frame.index.get_loc(first)) + 1
            value = present.loc[first]
            raise CLIError(f"{path}: column '{col}' is numeric except for {n_bad} cell(s), the first {value!r} in "
                           f"data row {row}; fix it, or pass --na-values {value!r} to read it as missing")


def require_columns(frame: pd.DataFrame, columns, path, what="column") -> None:
    present = set(frame.columns)
    missing = [c for c in columns if c not in present]
    if missing:
        shown = ", ".join(map(repr, missing))
        raise CLIError(f"{path}: missing {what}{'s' if len(missing) > 1 else ''} {shown}; "
                       f"the file has: {', '.join(frame.columns)}")


def check_missing_values(frame: pd.DataFrame, columns, path) -> None:
    """CLIError for the first column with a missing value (``--no-impute``)."""
    counts = frame[list(columns)].isna().sum()
    counts = counts[counts > 0]
    if len(counts):
        col, n_missing = counts.index[0], int(counts.iloc[0])
        first = int(np.flatnonzero(frame[col].isna().to_numpy())[0])
        raise CLIError(f"{path}: column '{col}' has {n_missing} missing value(s), the first in data row "
                       f"{first + 1}; fill or drop them, or leave out --no-impute to impute them")


def is_numeric(series) -> bool:
    """True for a numeric Series or dtype that is not boolean."""
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def infer_task(target: pd.Series) -> str:
    """'classification' for strings, booleans and integer labels with few distinct values, else 'regression'."""
    if not is_numeric(target):
        return "classification"
    values = target.dropna().to_numpy(dtype=np.float64)
    integral = np.all(values == np.round(values))
    return "classification" if integral and target.nunique() <= MAX_CLASSES_FOR_INTEGERS else "regression"


def infer_columns(frame: pd.DataFrame, features, ordinal) -> tuple[list, list, list]:
    """(numeric, categorical, ordinal) feature columns; ``ordinal`` names are taken out of the others."""
    dtypes = frame.dtypes
    numeric = [c for c in features if c not in ordinal and is_numeric(dtypes[c])]
    categorical = [c for c in features if c not in ordinal and not is_numeric(dtypes[c])]
    return numeric, categorical, [c for c in features if c in ordinal]


def as_category_strings(series: pd.Series) -> pd.Series:
    """Category values as Python strings, missing values kept as NaN (so JSON, training and prediction
    agree on them and the imputer sees what is missing)."""
    missing = series.isna()
    out = series.map(lambda v: str(v).strip()).astype(object)
    out[missing] = np.nan
    return out


def to_csv_text(frame: pd.DataFrame, sep: str = ",") -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, sep=sep)
    return buf.getvalue()
