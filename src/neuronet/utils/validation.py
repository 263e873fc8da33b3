"""Input checks with messages that name the argument, the value received and what is accepted.

The wording follows scikit-learn where it has one ("Input X contains NaN", "Found input variables with
inconsistent numbers of samples: [20, 19]", "Reshape your data ...").
"""
from __future__ import annotations

import math

import numpy as np


def to_array(value, name: str, dtype=None, allow_nan: bool = False, min_ndim: int = 1) -> np.ndarray:
    """Convert lists, pandas objects and array-likes to a finite numeric ndarray.

    Never modifies ``value``; returns a new array only when a conversion is needed.
    """
    if value is None:
        raise ValueError(f"Expected array-like for `{name}`, got None.")
    if hasattr(value, "toarray") and hasattr(value, "nnz"):
        raise TypeError(f"`{name}` is a sparse matrix; neuronet needs a dense array. "
                        f"Use `{name}.toarray()` first.")
    if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):  # pandas DataFrame / Series
        value = value.to_numpy()
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"`{name}` could not be converted to a numeric array: {exc}") from None
    if arr.dtype.kind == "c":
        raise TypeError(f"`{name}` has complex dtype {arr.dtype}; neuronet accepts real numbers only.")
    if arr.dtype.kind in "mM":
        raise TypeError(f"`{name}` has {arr.dtype} dtype (dates or durations); like Keras, neuronet does not "
                        "train on them as raw numbers. Turn them into numeric features first, e.g. "
                        "(dates - dates.min()) / np.timedelta64(1, 'D') for days, or the year, month, weekday.")
    if arr.dtype.kind not in "biuf":
        try:
            arr = arr.astype(np.float64)
        except (ValueError, TypeError):
            _check_missing(arr, name)
            raise TypeError(f"`{name}` has non-numeric dtype {arr.dtype}; encode strings and categories "
                            f"as numbers first (e.g. sklearn.preprocessing.OneHotEncoder).") from None
    if arr.ndim < min_ndim:
        raise ValueError(f"Expected at least a {min_ndim}-D array for `{name}`, got a scalar {arr!r}. "
                         "Reshape your data, e.g. with np.atleast_1d.")
    if arr.shape[0] == 0:
        raise ValueError(f"`{name}` is empty (shape {arr.shape}): found 0 samples, at least 1 is required.")
    source = arr
    if dtype is not None and arr.dtype != dtype:
        with np.errstate(over="ignore"):          # a value beyond float32's range is reported below
            arr = arr.astype(dtype)
    if not allow_nan:
        check_finite(arr, name, source=source)
    return arr


def _check_missing(arr, name):
    """ValueError for an object array whose only non-numbers are missing values (pd.NA, None, NaT):
    nullable pandas columns (Int64, Float64) give these, and they are missing values, not categories."""
    import pandas as pd
    missing = pd.isna(arr)
    if not missing.any():
        return
    try:
        np.where(missing, np.nan, arr).astype(np.float64)
    except (ValueError, TypeError):
        return                                  # strings as well: the non-numeric message fits better
    bad = np.argwhere(missing)
    first = tuple(int(i) for i in bad[0])
    where = f"row {first[0]}" + (f", column {first[1]}" if len(first) > 1 else "")
    raise ValueError(f"Input {name} contains missing values ({arr[first]!r}): {len(bad)} missing value(s), the "
                     f"first at {where}. Remove or impute them first (e.g. sklearn.impute.SimpleImputer).")


def check_finite(arr: np.ndarray, name: str, row_offset: int = 0, source=None) -> None:
    """Raise ValueError with the count and first position of NaN/inf values (rows counted from
    ``row_offset``, for arrays checked chunk by chunk). ``source``, the array ``arr`` was converted from,
    tells a finite value too large for ``arr``'s dtype ("out of float32 range") from a real infinity."""
    if arr.dtype.kind != "f":
        return
    if arr.size <= 4096:
        finite = np.isfinite(arr)       # small (a predict of a few rows): no errstate to enter
    else:
        # Any NaN or inf makes the sum non-finite, so a finite sum proves the array finite in one pass
        # without a boolean temporary; a non-finite sum (perhaps only overflow) gets the exact scan.
        with np.errstate(over="ignore", invalid="ignore"):
            if math.isfinite(float(np.add.reduce(arr, axis=None))):
                return
        finite = np.isfinite(arr)
    if finite.all():
        return
    bad = np.argwhere(~finite)
    first = tuple(int(i) for i in bad[0])
    kind = "NaN" if np.isnan(arr[first]) else "infinity"
    where = f"row {first[0] + row_offset}" + (f", column {first[1]}" if len(first) > 1 else "")
    if source is not None and source is not arr and np.isfinite(source[first]):
        raise ValueError(f"Input {name} contains a value out of {arr.dtype} range: {float(source[first])!r} at {where} "
                         f"(the largest {arr.dtype} is {np.finfo(arr.dtype).max:.6g}); {len(bad)} value(s) do not "
                         f"fit. Scale the data first (e.g. sklearn.preprocessing.StandardScaler).")
    raise ValueError(f"Input {name} contains {kind}: {len(bad)} non-finite value(s), the first at {where}. "
                     "Remove or impute them first (e.g. sklearn.impute.SimpleImputer).")


def check_consistent_length(**arrays) -> None:
    lengths = {name: len(a) for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k}={v}" for k, v in lengths.items())
        raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                         f"{list(lengths.values())} ({detail}).")


def check_positive_int(value, name: str, allow_none: bool = False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"Received an invalid value for `{name}`, expected a positive integer. "
                         f"Received: {name}={value!r}")
    return int(value)


def check_number(value, name: str, minimum=None, strict=False, allow_none=False):
    """``value`` as a finite Python float (>= ``minimum``, or > it when ``strict``), else a ValueError
    naming ``name``. A Python float, not a NumPy scalar, so float32 arithmetic stays float32.

    >>> check_number(0.5, "rate", minimum=0, strict=True)
    0.5
    """
    if value is None and allow_none:
        return None
    try:
        ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
            and math.isfinite(float(value))
    except OverflowError:                       # an int beyond float's range, e.g. 10**400
        ok = False
    if ok and minimum is not None:
        ok = float(value) > minimum if strict else float(value) >= minimum
    if not ok:
        if minimum is None:
            kind = "a finite number"
        elif minimum == 0:
            kind = "a positive number" if strict else "a non-negative number"
        else:
            kind = f"a number {'>' if strict else '>='} {minimum:g}"
        raise ValueError(f"Received an invalid value for `{name}`, expected {kind}"
                         f"{' or None' if allow_none else ''}. Received: {name}={value!r}")
    return float(value)


def check_fraction(value, name: str, low_inclusive: bool = True, high: float = 1.0, high_inclusive=False):
    ok = isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool)
    if ok:
        v = float(value)
        ok = (v >= 0.0 if low_inclusive else v > 0.0) and (v <= high if high_inclusive else v < high)
    if not ok:
        lo = "[0" if low_inclusive else "(0"
        hi = f"{high:g}]" if high_inclusive else f"{high:g})"
        raise ValueError(f"Received an invalid value for `{name}`, expected a number in {lo}, {hi}. "
                         f"Received: {name}={value!r}")
    return float(value)
