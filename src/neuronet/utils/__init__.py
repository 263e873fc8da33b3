"""Utilities: seeding, input validation, session naming, one-hot labels (``to_categorical``)."""
from neuronet.utils.random import set_random_seed
from neuronet.utils.naming import clear_session
from neuronet.utils.categorical import to_categorical

__all__ = ["set_random_seed", "clear_session", "to_categorical"]
