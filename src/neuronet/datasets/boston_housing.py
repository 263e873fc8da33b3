"""Boston housing as Keras spells it: ``(x_train, y_train), (x_test, y_test) = boston_housing.load_data()``,
from the CSV bundled with neuronet (nothing is downloaded), split as Keras splits it: the 506 rows
shuffled by ``np.random.RandomState(seed)``, the first ``int(506 * (1 - test_split))`` for training.
Read ``neuronet.datasets.boston`` for the ethical caveat of feature B.

    >>> from neuronet.datasets import boston_housing
    >>> (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
    >>> x_train.shape, x_test.shape
    ((404, 13), (102, 13))
"""
from __future__ import annotations

import numpy as np

from neuronet.datasets.boston import load_boston


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """13 features and the median house value (in $1000s) per tract, split into train and test.
    ``path`` is accepted for Keras' signature; the bundled copy is always used."""
    if not 0 <= test_split < 1:
        raise ValueError(f"Received an invalid value for `test_split`, expected a fraction in [0, 1). "
                         f"Received: test_split={test_split!r}")
    x, y = load_boston(return_X_y=True)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    split = int(len(x) * (1 - test_split))
    return (x[:split], y[:split]), (x[split:], y[split:])
