"""Utilities: seeding, input validation, session naming."""
from neuronet.utils.random import set_random_seed
from neuronet.utils.naming import clear_session

__all__ = ["set_random_seed", "clear_session"]
