"""neuronet.cli.columns: which columns become features (IDs, empty columns, --drop, --keep)."""
import numpy as np
import pandas as pd
import pytest

from neuronet.cli.columns import choose_features, likely_ids
from neuronet.cli.errors import CLIError


def test_likely_ids_are_distinct_text_or_integer_runs():
    n = 30
    frame = pd.DataFrame({
        "row": np.arange(100, 100 + n),                         # a running number: ID
        "code": [f"A-{i:03d}" for i in range(n)],               # distinct text: ID
        "sqft": np.arange(n) * 37 + 500,                        # distinct integers, not a run: a measurement
        "x": np.linspace(0, 1, n),                              # distinct floats: never an ID
        "town": ["a", "b", "c"] * 10,                           # repeats: a category
        "sparse_id": [f"s{i}" if i else None for i in range(n)]})  # a gap: not unique per row
    assert likely_ids(frame, list(frame.columns)) == ["row", "code"]
    assert likely_ids(frame.head(5), list(frame.columns)) == []      # too few rows to tell


def test_choose_features_warns_and_drops_ids_and_empty_columns_unless_kept():
    frame = pd.DataFrame({"id": range(20), "empty": [np.nan] * 20, "x": np.linspace(0, 1, 20),
                          "extra": [1.0] * 20, "y": [0, 1] * 10})
    said = []
    assert choose_features(frame, "y", ["extra"], [], {}, "d.csv", said.append) == ["x"]
    assert len(said) == 2 and "'empty'" in said[0] and "'id'" in said[1] and "--keep id" in said[1]
    said.clear()
    assert choose_features(frame, "y", [], ["id"], {}, "d.csv", said.append) == ["id", "x", "extra"]
    assert len(said) == 1 and "'empty'" in said[0]


@pytest.mark.parametrize("drop, keep, match", [(["nope"], [], "--drop: d.csv has no column 'nope'"),
                                               ([], ["nope"], "--keep: d.csv has no column 'nope'"),
                                               (["y"], [], "--drop: 'y' is the target")])
def test_unknown_or_target_columns_are_refused(drop, keep, match):
    frame = pd.DataFrame({"x": [1.0, 2.0], "y": [0, 1]})
    with pytest.raises(CLIError, match=match):
        choose_features(frame, "y", drop, keep, {}, "d.csv", print)
