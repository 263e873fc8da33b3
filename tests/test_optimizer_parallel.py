"""Large buffers are updated in two halves on two threads: the result must be the same bits."""
import numpy as np
import pytest

from neuronet import optimizers
from neuronet.optimizers import base


@pytest.mark.parametrize("name", ["sgd", "adam", "adamw", "adamax", "nadam", "rmsprop", "adagrad", "adadelta"])
def test_two_half_update_is_bit_identical(name, monkeypatch):
    rng = np.random.default_rng(0)
    size = base.PARALLEL_MIN_SIZE + 13
    start = rng.normal(size=size).astype(np.float32)
    grads = [rng.normal(size=size).astype(np.float32) for _ in range(3)]
    results = []
    for threshold in (size + 1, size):                     # once in one pass, once in two halves
        monkeypatch.setattr(base, "PARALLEL_MIN_SIZE", threshold)
        monkeypatch.setattr(base, "_CORES", 2)
        opt = optimizers.get({"class_name": name, "config": {"learning_rate": 0.01}})
        w = start.copy()
        for g in grads:
            opt.apply([w], [g])
        results.append((w, opt.get_state()))
    (w1, s1), (w2, s2) = results
    assert np.array_equal(w1, w2)
    for key in s1["slots"]["0"]:
        assert np.array_equal(s1["slots"]["0"][key], s2["slots"]["0"][key])
    assert not np.array_equal(w1, start)
