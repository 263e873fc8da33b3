"""neuronet: artificial neural networks in explicit NumPy, with the Keras and scikit-learn APIs.

    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Dense
"""
from neuronet import config
from neuronet.utils import set_random_seed, clear_session

__version__ = "0.1.0"
__all__ = ["config", "set_random_seed", "clear_session", "__version__"]
