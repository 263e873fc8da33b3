"""The learning-rate finder: see neuronet.models.lr_finder (kept at this path for existing code)."""
from neuronet.models.lr_finder import *  # noqa: F401,F403
from neuronet.models.lr_finder import LRFinderResult, lr_find, suggest  # noqa: F401
