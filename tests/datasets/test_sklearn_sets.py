"""The scikit-learn toy data sets behind neuronet.datasets."""
import pandas as pd
import pytest

from neuronet import datasets


@pytest.mark.parametrize("name,shape", [("load_breast_cancer", (569, 30)), ("load_wine", (178, 13)),
                                        ("load_iris", (150, 4)), ("load_digits", (1797, 64)),
                                        ("load_diabetes", (442, 10))])
def test_sklearn_wrappers(name, shape):
    loader = getattr(datasets, name)
    X, y = loader(return_X_y=True)
    assert X.shape == shape and len(y) == shape[0]
    Xf, _ = loader(return_X_y=True, as_frame=True)
    assert isinstance(Xf, pd.DataFrame) and Xf.shape == shape
    assert loader.__name__ == name and loader.__doc__
