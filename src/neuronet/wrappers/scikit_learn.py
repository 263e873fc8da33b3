"""Alias module, so the notes' ``from keras.wrappers.scikit_learn import KerasClassifier`` reads as
``from neuronet.wrappers.scikit_learn import KerasClassifier``. The wrappers live in ``neuronet.sklearn``."""
from neuronet.sklearn.wrappers import KerasClassifier, KerasRegressor

__all__ = ["KerasClassifier", "KerasRegressor"]
