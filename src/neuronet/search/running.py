"""Running a sweep's configurations: joblib (processes, threads) or a Dask cluster, results in order
(:func:`_parallel`) or as each task ends, with the tasks it makes ready submitted at once
(:func:`_run_as_ready`); and a tqdm progress bar over them."""
from __future__ import annotations

import contextlib
import functools
import queue

import numpy as np

BACKENDS = (None, "loky", "threading", "dask")


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


def _run_as_ready(tasks, finished, n_jobs=1, backend=None):
    """Run ``tasks`` and every task they make ready, the ready task of highest priority first (ties: the
    lowest key). A task is (priority, key, function, args); ``finished(key, result)`` is called here as
    each task ends (in the order they end) and returns the tasks that became ready. One worker
    (``n_jobs=1``, no Dask): in this process, in a fixed order. Else on ``backend`` (see :func:`_pool`),
    at most twice as many tasks submitted as there are workers, so a task that becomes ready later still
    starts before those of lower priority. A task's exception is raised here, once the tasks not started
    are cancelled (those running end on their own; their results are dropped)."""
    ready = _by_priority(tasks)
    with _pool(n_jobs, backend) as (workers, submit):
        if submit is None:
            while ready:
                _, key, function, args = ready.pop(0)
                ready = _by_priority(ready + list(finished(key, function(*args))))
            return
        ended, running = queue.Queue(), {}
        try:
            while ready or running:
                while ready and len(running) < 2 * workers:
                    _, key, function, args = ready.pop(0)
                    future = submit(function, *args)
                    running[future] = key
                    future.add_done_callback(ended.put)      # called in another thread
                future = ended.get()
                key = running.pop(future)
                ready = _by_priority(ready + list(finished(key, future.result())))
        finally:
            for future in running:          # an exception (a task's, or an interrupt) ends the run
                future.cancel()


def _by_priority(tasks):
    return sorted(sorted(tasks, key=lambda task: task[1]), key=lambda task: task[0], reverse=True)


@contextlib.contextmanager
def _pool(n_jobs, backend):
    """(workers, submit(function, *args) -> future) for ``backend``: None or 'loky' (joblib's reusable
    process pool, set up by a joblib.Parallel of ``n_jobs``: a pool joblib started is reused),
    'threading' (threads of this process) or 'dask' (the running dask.distributed Client; ``n_jobs`` 1
    or None: all its threads). One worker without Dask: submit is None, run in this process. The
    process pool is never shut down here: loky's shutdown while tasks are pending races with its own
    manager thread (KeyError, InvalidStateError), and the next search reuses the pool."""
    import joblib
    if backend not in BACKENDS:
        raise ValueError(f"Received an invalid value for `backend`, expected one of {list(BACKENDS)} "
                         f"(None: 'loky' processes). Received: backend={backend!r}")
    if backend == "dask":
        _check_dask(backend)
        from distributed import get_client
        client = get_client()
        workers = n_jobs if n_jobs is not None and n_jobs > 1 else sum(client.nthreads().values())
        yield workers, functools.partial(client.submit, pure=False)
        return
    workers = joblib.effective_n_jobs(n_jobs)
    if workers == 1:
        yield 1, None
    elif backend == "threading":
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=workers) as executor:
            yield workers, executor.submit
    else:
        from joblib.externals.loky import get_reusable_executor
        with joblib.Parallel(n_jobs=workers, backend="loky", return_as="generator") as parallel:
            # One task through joblib sets up its reusable pool (the one a sweep started, if any) and
            # makes this Parallel's temporary folder the one large arrays are memory-mapped into; then
            # the pool, get_reusable_executor(reuse=True), runs the tasks as they become ready. The
            # task's result is read at the end: waiting for it now costs joblib's 10 ms polling interval.
            setup = parallel([joblib.delayed(len)(())])
            executor = get_reusable_executor(reuse=True)
            try:
                yield workers, executor.submit
            finally:
                list(setup)


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

    def done(self):
        """The search ended normally: a total planned as an upper bound (hyperband promotes fewer runs
        when some were pruned or ended by themselves) becomes the count of runs that ran."""
        if self.bar is not None and self.bar.n < self.bar.total:
            self.bar.total = self.bar.n
            self.bar.refresh()

    def close(self):
        if self.bar is not None:
            self.bar.close()
