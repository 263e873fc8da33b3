"""neuronet: artificial neural networks in explicit NumPy, with the Keras and scikit-learn APIs.

    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Dense

``import neuronet as keras`` works as the notes write it: ``keras.Sequential``, ``keras.layers.Dense``,
``keras.models.load_model``, ``keras.regularizers.l1(0.01)``, ``keras.optimizers.SGD``,
``keras.utils.to_categorical``, ``keras.datasets.mnist.load_data()`` (from files on disk), ...
TensorFlow's spelling works too: ``import neuronet as tf``, then ``tf.keras.Sequential``, ``tf.keras.layers.Dense``.

    >>> import neuronet as keras
    >>> model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
"""
from neuronet import config
from neuronet.utils import set_random_seed, clear_session
from neuronet import (activations, backend, callbacks, constraints, initializers, layers, losses,  # noqa: E402
                      metrics, models, optimizers, regularizers, saving, utils)
from neuronet.layers import Input  # noqa: E402
from neuronet.models import Model, Sequential, load_model  # noqa: E402

__version__ = "0.1.0"


def __getattr__(name):
    # neuronet.datasets imports scikit-learn (about a second): loaded on first use, not by `import neuronet`.
    if name == "keras":       # TensorFlow's spelling: `import neuronet as tf`, then tf.keras.Sequential(...)
        import sys
        return sys.modules[__name__]
    if name in ("datasets", "wrappers"):   # keras.wrappers.scikit_learn.KerasRegressor, as Keras 2
        import importlib
        return importlib.import_module(f"neuronet.{name}")
    raise AttributeError(f"module 'neuronet' has no attribute {name!r}")
__all__ = ["config", "set_random_seed", "clear_session", "__version__", "activations", "backend", "callbacks",
           "constraints", "initializers", "layers", "losses", "metrics", "models", "optimizers", "regularizers",
           "saving", "utils", "Input", "Model", "Sequential", "load_model", "datasets"]
