"""scikit-learn estimators built on neuronet: MLPClassifier / MLPRegressor (scikit-learn's MLP API) and
KerasClassifier / KerasRegressor (wrap a function that builds a compiled Sequential, scikeras-style).

    >>> from neuronet.sklearn import MLPClassifier, KerasClassifier
"""
from neuronet.sklearn.mlp import MLPClassifier, MLPRegressor
from neuronet.sklearn.wrappers import KerasClassifier, KerasRegressor

__all__ = ["MLPClassifier", "MLPRegressor", "KerasClassifier", "KerasRegressor"]
