"""Running a sweep's configurations: joblib (processes, threads) or a Dask cluster, results in order,
and a tqdm progress bar over them."""
from __future__ import annotations

import numpy as np


def _check_dask(backend):
    if backend != "dask":
        return
    try:
        from distributed import get_client
        get_client()
    except (ImportError, ValueError) as exc:
        raise RuntimeError("backend='dask' needs dask.distributed and a running Client: "
                           "`from distributed import Client; client = Client('tcp://scheduler:8786')` "
                           f"(or Client(LocalCluster())). Cause: {exc}") from exc


def _parallel(tasks, n_jobs, backend, progress=None):
    """Run the joblib ``tasks``; results in task order. ``progress(result)`` is called on each result as
    soon as it and every earlier one are done."""
    import joblib
    if backend == "dask":
        with joblib.parallel_backend("dask"):
            parallel = joblib.Parallel(n_jobs=-1 if n_jobs in (None, 1) else n_jobs, return_as="generator")
            return _collect(parallel(tasks), progress)
    return _collect(joblib.Parallel(n_jobs=n_jobs, backend=backend, return_as="generator")(tasks), progress)


def _collect(results, progress):
    done = []
    for result in results:
        done.append(result)
        if progress is not None:
            progress(result)
    return done


class _Progress:
    """tqdm over the configurations: how many are done and the best ``metric`` so far."""

    def __init__(self, total, metric, verbose):
        self.bar = None
        if verbose:
            from tqdm.auto import tqdm
            self.bar = tqdm(total=total, desc="configurations", unit="config")
        self.metric, self.best = metric, None

    def __call__(self, result):
        if self.bar is None:
            return
        row = result[0]
        key = self.metric or ("val_loss" if "val_loss" in row else "loss")
        value = row.get(key)
        if value is not None and np.isfinite(value) and not row.get("pruned", False):
            from neuronet.callbacks.monitor import Monitor
            better = self.best is None or (value < self.best if Monitor(key).mode == "min" else value > self.best)
            self.best = value if better else self.best
        if self.best is not None:
            self.bar.set_postfix_str(f"best {key}={self.best:.4g}", refresh=False)
        self.bar.update(1)

    def close(self):
        if self.bar is not None:
            self.bar.close()
