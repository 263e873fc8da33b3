"""scikit-learn estimators built on neuronet: MLPClassifier / MLPRegressor (scikit-learn's MLP API) and
KerasClassifier / KerasRegressor (wrap a function that builds a compiled Sequential, scikeras-style).

    >>> from neuronet.sklearn import MLPClassifier, KerasClassifier

``custom_objects``: the losses and the L2 penalty of scikit-learn's objective that an MLP estimator's
``model_`` is compiled with, for ``load_model(path, custom_objects=neuronet.sklearn.custom_objects)``.
"""
from neuronet.sklearn._objective import custom_objects
from neuronet.sklearn.mlp import MLPClassifier, MLPRegressor
from neuronet.sklearn.wrappers import KerasClassifier, KerasRegressor

__all__ = ["MLPClassifier", "MLPRegressor", "KerasClassifier", "KerasRegressor", "custom_objects"]
