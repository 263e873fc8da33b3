"""The Boston house-price data, bundled as ``datasets/data/boston_house_prices.csv``."""
from __future__ import annotations

from importlib import resources

import numpy as np
from sklearn.utils import Bunch

FEATURE_NAMES = ["CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX", "PTRATIO", "B",
                 "LSTAT"]
TARGET_NAME = "MEDV"

DESCR = """Boston house prices (Harrison & Rubinfeld, 1978; StatLib / UCI)
----------------------------------------------------------------
506 census tracts of the Boston area, 13 numeric features, target MEDV = median value of owner-occupied
homes in $1000s.

CRIM per-capita crime rate; ZN share of residential land zoned for lots over 25,000 sq.ft.; INDUS share of
non-retail business acres; CHAS Charles River dummy (1 if tract bounds river); NOX nitric oxides
concentration (parts per 10 million); RM average number of rooms; AGE share of owner-occupied units built
before 1940; DIS weighted distance to five Boston employment centres; RAD index of accessibility to radial
highways; TAX full-value property-tax rate per $10,000; PTRATIO pupil-teacher ratio; B = 1000(Bk - 0.63)^2
where Bk is the proportion of Black residents by town; LSTAT % lower status of the population.

Ethical caveat: the feature B encodes race, built on the assumption that racial self-segregation had a
positive effect on house prices. scikit-learn removed its loader in version 1.2 partly for this reason.
neuronet ships the data only because the lecture notes use it; prefer ``load_diabetes`` (bundled) or
scikit-learn's ``fetch_california_housing`` (needs a download) for new work.

Harrison, D. and Rubinfeld, D.L., 'Hedonic prices and the demand for clean air', J. Environ. Economics &
Management, vol. 5, 81-102, 1978.
"""


def _read_csv():
    """Rows of the bundled CSV as a float array (506, 14) and the header (column names).

    The file starts with a quoted header line; scikit-learn's older copy started with a count line
    ("506,13") first, which is skipped when present.
    """
    text = resources.files("neuronet.datasets").joinpath("data", "boston_house_prices.csv").read_text()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    first = lines[0].split(",")
    if len(first) == 2 and all(f.strip().isdigit() for f in first):  # sklearn's "n_samples,n_features" line
        lines = lines[1:]
    header = [h.strip().strip('"') for h in lines[0].split(",")]
    data = np.array([[float(v) for v in ln.split(",")] for ln in lines[1:]], dtype=np.float64)
    return header, data


def load_boston(return_X_y: bool = False, as_frame: bool = False):
    """Load the Boston house-price regression data (506 samples, 13 features, target MEDV in $1000s).

    Ethical caveat: feature ``B`` = 1000(Bk - 0.63)^2, where Bk is the proportion of Black residents by
    town, encodes race; scikit-learn removed its ``load_boston`` in 1.2 partly because of it. neuronet keeps
    it only to reproduce the lecture notes. For new work use ``neuronet.datasets.load_diabetes`` (bundled
    with scikit-learn) or ``sklearn.datasets.fetch_california_housing`` (which downloads its data).

    Returns a scikit-learn-style ``Bunch`` with ``data`` (506, 13), ``target`` (506,), ``feature_names``,
    ``frame`` (a pandas DataFrame with the 14 columns when ``as_frame=True``, else None) and ``DESCR``;
    or ``(X, y)`` with ``return_X_y=True`` (DataFrame and Series when ``as_frame=True``).

        >>> X, y = load_boston(return_X_y=True)
        >>> X.shape, y.shape
        ((506, 13), (506,))
        >>> load_boston().feature_names[-1]
        'LSTAT'
    """
    header, table = _read_csv()
    if header != FEATURE_NAMES + [TARGET_NAME] or table.shape != (506, 14):
        raise ValueError(f"The bundled boston_house_prices.csv is damaged: header {header}, shape {table.shape}.")
    data, target = table[:, :13], table[:, 13]
    frame = None
    if as_frame:
        import pandas as pd
        frame = pd.DataFrame(table, columns=header)
        data, target = frame[FEATURE_NAMES], frame[TARGET_NAME]
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, feature_names=list(FEATURE_NAMES), target_names=[TARGET_NAME],
                 frame=frame, DESCR=DESCR, filename="boston_house_prices.csv")
