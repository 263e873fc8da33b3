"""load_boston: the Bunch, its caveat and its variants."""
import numpy as np
import pandas as pd
import pytest

from neuronet.datasets import load_boston


def test_load_boston_bunch():
    b = load_boston()
    assert b.data.shape == (506, 13) and b.target.shape == (506,)
    assert b.feature_names == ["CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX",
                               "PTRATIO", "B", "LSTAT"]
    assert b.frame is None and "B encodes race" in b.DESCR.replace("\n", " ")
    np.testing.assert_allclose(b.data[0, :3], [0.00632, 18, 2.31])
    assert b.target[0] == 24.0 and b.target.mean() == pytest.approx(22.5328, abs=1e-3)


def test_load_boston_docstring_states_caveat_and_alternative():
    doc = " ".join(load_boston.__doc__.split())
    assert "encodes race" in doc and "load_diabetes" in doc


def test_load_boston_variants():
    X, y = load_boston(return_X_y=True)
    assert X.shape == (506, 13)
    Xf, yf = load_boston(return_X_y=True, as_frame=True)
    assert isinstance(Xf, pd.DataFrame) and isinstance(yf, pd.Series) and yf.name == "MEDV"
    assert load_boston(as_frame=True).frame.shape == (506, 14)
