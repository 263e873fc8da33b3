"""Where a training step's time goes: forward, loss gradient, backward, optimizer, and the step's matrix
products alone, for the networks of W1-W4 (microseconds, best of interleaved rounds).

    python bench/step_parts.py            # W1-W4
    python bench/step_parts.py W2 W4      # some of them

The parts are timed one by one on the same batch, so they need not add up to the step exactly (caches
and OpenBLAS's worker threads behave differently when a part runs alone).
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
import neuronet  # noqa: E402
from neuronet.layers import Dense  # noqa: E402
from neuronet.models import Sequential, data_checks  # noqa: E402

# name: (layer sizes, output activation, loss, batch)
NETWORKS = {"W1": ([30, 64, 32, 1], "sigmoid", "binary_crossentropy", 64),
            "W2": ([13, 128, 64, 64, 32, 1], None, "mse", 64),
            "W3": ([13, 64, 32, 3], "softmax", "sparse_categorical_crossentropy", 32),
            "W4": ([784, 512, 256, 10], "softmax", "sparse_categorical_crossentropy", 128)}


def best_us(fns, calls, rounds):
    """Best time per call of each function, in microseconds, the functions taking turns each round."""
    best = {name: float("inf") for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            best[name] = min(best[name], (time.perf_counter() - start) / calls * 1e6)
    return best


def parts(sizes, out, loss, batch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, sizes[0]), dtype=np.float32)
    y = rng.integers(0, sizes[-1], batch) if loss.startswith("sparse") else \
        (rng.random((batch, sizes[-1])) > 0.5).astype(np.float32)
    neuronet.set_random_seed(0)
    model = Sequential([Dense(sizes[1], activation="relu", input_shape=(sizes[0],))] +
                       [Dense(units, activation="relu") for units in sizes[2:-1]] +
                       [Dense(sizes[-1], activation=out)])
    model.compile(optimizer="adam", loss=loss)
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    y = data_checks.prepare_y(model, y, batch)
    fused = model.fused_loss
    output = model.forward(x, training=True)
    grad = model.loss.training_gradient(y, output, fused=fused)
    params = model.parameters

    def forward():
        model.forward(x, training=True)

    def backward():
        model.backward(grad, from_logits=fused)

    acts = [rng.standard_normal((batch, s), dtype=np.float32) for s in sizes]
    kernels = [rng.standard_normal((a, b), dtype=np.float32) for a, b in zip(sizes[:-1], sizes[1:])]
    kernel_grads = [np.empty_like(k) for k in kernels]

    def products():
        for a, k in zip(acts, kernels):
            np.dot(a, k)
        for i in range(len(kernels) - 1, -1, -1):
            np.dot(acts[i].T, acts[i + 1], out=kernel_grads[i])
            if i:
                np.dot(acts[i + 1], kernels[i].T)

    fns = {"step": lambda: model.train_step(x, y, None, need_value=False),
           "forward": forward,
           "loss gradient": lambda: model.loss.training_gradient(y, output, fused=fused),
           "backward": backward,
           "optimizer": lambda: model.optimizer.apply([params.values], [params.grads], params.segments),
           "products only": products}
    calls = max(5, int(2e5 // sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))))
    with np.errstate(all="ignore"):
        return best_us(fns, calls, rounds=15)


def main(argv=None):
    names = (argv if argv is not None else sys.argv[1:]) or list(NETWORKS)
    unknown = [n for n in names if n not in NETWORKS]
    if unknown:
        raise SystemExit(f"step_parts.py: unknown network(s) {unknown}; choose from {list(NETWORKS)}.")
    columns = ["step", "forward", "loss gradient", "backward", "optimizer", "products only"]
    print(f"{'network':28}" + "".join(f"{c:>15}" for c in columns) + "   (us)")
    for name in names:
        sizes, out, loss, batch = NETWORKS[name]
        times = parts(sizes, out, loss, batch)
        label = f"{name} {'-'.join(map(str, sizes))} b{batch}"
        print(f"{label:28}" + "".join(f"{times[c]:15.1f}" for c in columns))


if __name__ == "__main__":
    main()
