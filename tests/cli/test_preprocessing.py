"""The CLI's preprocessing JSON rebuilds an equivalent transformer."""
import numpy as np
import pandas as pd
import pytest

from neuronet.cli.preprocessing import Preprocessor


@pytest.fixture
def cat_csv(tmp_path):
    rng = np.random.default_rng(0)
    n = 240
    color, size, x = rng.choice(["red", "green", "blue"], n), rng.choice(["S", "M", "L"], n), rng.normal(size=n)
    label = np.where(x + 1.5 * (color == "red") - (size == "S") > 0.3, "yes", "no")
    path = tmp_path / "cat.csv"
    pd.DataFrame({"x": x, "color": color, "size": size, "label": label}).to_csv(path, index=False)
    return path


def test_preprocessing_json_rebuilds_equivalent_transformer(cat_csv):
    frame = pd.read_csv(cat_csv)
    prep = Preprocessor("label", "classification", ["x"], ["color"], {"size": ["S", "M", "L"]}).fit(frame)
    text = prep.to_json()
    assert "pickle" not in text
    again = Preprocessor.from_json(text)
    np.testing.assert_allclose(again.transform(frame), prep.transform(frame))
    np.testing.assert_array_equal(again.encode_target(frame["label"]), prep.encode_target(frame["label"]))
