"""neuronet.cli.preprocessing: scikit-learn's imputers and encoders, saved with skops and loaded safely."""
import json
import os
import zipfile

import numpy as np
import pandas as pd
import pytest

from neuronet.cli.errors import CLIError
from neuronet.cli.preprocessing import Preprocessor

sio = pytest.importorskip("skops.io")


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    n = 60
    out = pd.DataFrame({"x": rng.normal(size=n), "color": rng.choice(["red", "green", "blue"], n),
                        "size": rng.choice(["S", "M", "L"], n), "label": rng.choice(["no", "yes"], n)})
    out.loc[[3, 7], "x"] = np.nan
    out.loc[[5], "color"] = np.nan
    return out


def _prep(frame, impute="median"):
    return Preprocessor("label", "classification", ["x"], ["color"], {"size": ["S", "M", "L"]},
                        impute=impute).fit(frame)


def test_missing_values_are_imputed_with_training_statistics_and_reported(frame):
    prep = _prep(frame)
    said = []
    out = prep.transform(frame, "d.csv", warn=said.append)
    assert not np.isnan(out).any() and out.shape == (60, 1 + 3 + 1)
    assert said == ["d.csv: imputed missing values in column(s) 'x' (2, median), 'color' (1, most frequent)"]
    median = np.nanmedian(frame["x"])
    x = frame["x"].fillna(median)
    np.testing.assert_allclose(out[3, 0], (median - x.mean()) / x.std(ddof=0))


def test_unseen_categories_are_encoded_and_reported(frame):
    prep = _prep(frame)
    new = frame.head(3).copy()
    new["color"] = ["purple", "red", "purple"]
    new["size"] = ["XL", "S", "M"]
    said = []
    out = prep.transform(new, "new.csv", warn=said.append)
    assert out[0, 1:4].tolist() == [0, 0, 0] and out[1, 1:4].sum() == 1   # unseen -> all zeros
    assert len(said) == 2 and "'color' has 2 row(s)" in said[0] and "'purple'" in said[0]
    assert "'size' has 1 row(s)" in said[1] and "'XL'" in said[1]
    most_frequent = ["S", "M", "L"].index(frame["size"].mode()[0])
    assert out[0, 4] == most_frequent and out[1, 4] == 0 and out[2, 4] == 1


def test_save_and_load_round_trip(tmp_path, frame):
    prep = _prep(frame)
    assert prep.save(tmp_path) == ["preprocessing.json", "preprocessing.skops"]
    meta = json.loads((tmp_path / "preprocessing.json").read_text())
    assert meta["classes"] == ["no", "yes"] and meta["impute"] == "median"
    again = Preprocessor.load(tmp_path)
    np.testing.assert_array_equal(again.transform(frame), prep.transform(frame))
    np.testing.assert_array_equal(again.encode_target(frame["label"]), prep.encode_target(frame["label"]))
    with zipfile.ZipFile(tmp_path / "preprocessing.skops") as zf:
        assert not any(name.endswith((".pkl", ".pickle")) for name in zf.namelist())


def test_no_impute_is_remembered(tmp_path, frame):
    _prep(frame.dropna(), impute=None).save(tmp_path)
    assert Preprocessor.load(tmp_path).impute is None


def test_a_file_with_untrusted_types_is_refused_before_loading(tmp_path, frame):
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import FunctionTransformer
    _prep(frame).save(tmp_path)
    hostile = ColumnTransformer([("f", FunctionTransformer(), ["x"])]).fit(frame)
    hostile.named_transformers_["f"].func = os.system             # a file that would run a command
    sio.dump(hostile, tmp_path / "preprocessing.skops")
    with pytest.raises(CLIError, match="refused to load.*outside the allowed list.*system"):
        Preprocessor.load(tmp_path)


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04garbage"])
def test_a_damaged_file_is_a_one_line_error(tmp_path, frame, content):
    _prep(frame).save(tmp_path)
    (tmp_path / "preprocessing.skops").write_bytes(content)
    with pytest.raises(CLIError, match="preprocessing.skops: invalid preprocessing file"):
        Preprocessor.load(tmp_path)


def test_a_transformer_for_other_columns_is_refused(tmp_path, frame):
    from sklearn.preprocessing import StandardScaler
    _prep(frame).save(tmp_path)
    sio.dump(StandardScaler().fit(frame[["x"]].fillna(0)), tmp_path / "preprocessing.skops")
    with pytest.raises(CLIError, match="not the fitted ColumnTransformer"):
        Preprocessor.load(tmp_path)


def test_an_older_layout_asks_to_retrain(tmp_path, frame):
    _prep(frame).save(tmp_path)
    meta = json.loads((tmp_path / "preprocessing.json").read_text())
    (tmp_path / "preprocessing.json").write_text(json.dumps({**meta, "version": 1}))
    with pytest.raises(CLIError, match="retrain"):
        Preprocessor.load(tmp_path)


def test_regression_target_round_trip(frame):
    frame = frame.assign(price=np.linspace(10.0, 50.0, len(frame)))
    prep = Preprocessor("price", "regression", ["x"], ["color"]).fit(frame)
    y = prep.encode_target(frame["price"])
    assert abs(y.mean()) < 1e-12 and abs(y.std() - 1) < 1e-12
    np.testing.assert_allclose(prep.decode_target(y), frame["price"])
