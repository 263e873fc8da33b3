"""What a sweep notices about its own runs: parameters the model function never reads, and
configurations whose runs come out identical. Each is warned about once per sweep, naming the keys.

    >>> p = TrackedParams({"first_neuron": 9, "hidden_layers": 2})
    >>> p["first_neuron"], sorted(p.read)
    (9, ['first_neuron'])
"""
from __future__ import annotations

import hashlib
import warnings

import numpy as np


class SweepWarning(UserWarning):
    """A sweep's configurations are not what they look like: a parameter no run reads, or runs that
    come out identical."""


class TrackedParams(dict):
    """The params dict a model function receives, recording which keys it reads (``read``).

    Reading is ``params[k]``, ``params.get(k)``, ``k in params``, ``pop``/``setdefault``, and anything
    that goes through the values (``items()``, ``values()``, ``dict(params)``, ``**params``, ``copy()``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def pop(self, key, *default):
        self.read.add(key)
        return super().pop(key, *default)

    def setdefault(self, key, default=None):
        self.read.add(key)
        return super().setdefault(key, default)

    def items(self):
        self.read.update(super().keys())
        return super().items()

    def values(self):
        self.read.update(super().keys())
        return super().values()

    def __iter__(self):
        # Overriding __iter__ makes dict(params) and f(**params) go through keys() and __getitem__
        # (CPython copies a dict subclass with its own __iter__ item by item), so those reads are seen.
        return super().__iter__()

    def copy(self):
        self.read.update(super().keys())
        return dict(super().items())

    def __reduce__(self):       # pickles (to a worker process) as a plain dict
        return dict, (dict(super().items()),)


def history_digest(logs) -> str:
    """A fingerprint of a run's History (every key and every logged value, as float64 bytes)."""
    digest = hashlib.sha256()
    for key in sorted(logs):
        digest.update(str(key).encode())
        for value in logs[key]:
            digest.update(np.asarray(value, dtype=np.float64).tobytes())
    return digest.hexdigest()


def warn_unread(configs, reads, stacklevel=4):
    """Warn once about the keys of ``configs`` that no run read."""
    keys = list(dict.fromkeys(key for params in configs for key in params))
    read = set().union(*reads) if reads else set()
    unread = [key for key in keys if key not in read]
    if unread:
        warnings.warn(f"The model function never read {unread} from its params: these columns of the "
                      f"table did not change what was trained (configurations that differ only in them "
                      f"repeat the same network). Remove them from the parameter dictionary, or read them "
                      f"in the model function (e.g. params['{unread[0]}']).", SweepWarning,
                      stacklevel=stacklevel)


def warn_identical(configs, digests, labels, stacklevel=4):
    """Warn once when several configurations trained identically (equal History digests), naming the
    configurations and the keys in which they differ."""
    groups = {}
    for index, digest in enumerate(digests):
        groups.setdefault(digest, []).append(index)
    repeated = [group for group in groups.values() if len(group) > 1]
    if not repeated:
        return
    described = []
    differing = []
    for group in repeated[:5]:
        keys = [key for key in configs[group[0]]
                if len({repr(labels(configs[i].get(key))) for i in group}) > 1]
        differing += keys
        described.append(f"configurations {group} (differing in {keys})")
    more = f" and {len(repeated) - 5} more groups" if len(repeated) > 5 else ""
    warnings.warn(f"Identical runs: {'; '.join(described)}{more} produced identical histories. Those "
                  f"parameters made no difference to training (or the model function seeds itself and "
                  f"ignores them); drop the repeats from the dictionary or check how the model function "
                  f"uses {sorted(set(differing)) or 'them'}.", SweepWarning, stacklevel=stacklevel)
