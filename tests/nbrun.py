"""Run code cells as a Jupyter notebook does (nbclient and a fresh IPython kernel), for the notebook tests.

The kernel is this test run's Python (a kernel spec written to a temporary folder), with its own
IPython and Jupyter folders so that no user configuration or startup file takes part, and matplotlib's
default notebook backend. Everything stays on this machine. A test skips when no kernel can start.
"""
import contextlib
import importlib.util
import json
import sys

import pytest


def run_cells(sources, tmp_path, monkeypatch, timeout=60):
    """Execute ``sources`` (one string per code cell) in order; returns the executed cells (their
    ``outputs`` as the notebook file would hold them). A cell that raises fails the test."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    if importlib.util.find_spec("ipykernel") is None:     # not imported here: it runs in the kernel only
        pytest.skip("ipykernel is not installed (pip install -e '.[test]')")
    spec = tmp_path / "jupyter" / "kernels" / "neuronet-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "neuronet tests", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.delenv("MPLBACKEND", raising=False)          # the kernel picks the notebook's inline backend
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    client = nbclient.NotebookClient(nb, timeout=timeout, startup_timeout=20, kernel_name="neuronet-test",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.reset_execution_trackers()
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(client.setup_kernel())
        except Exception as exc:      # no kernel on this machine (sandbox without sockets, broken install)
            pytest.skip(f"no Jupyter kernel could start here: {type(exc).__name__}: {exc}")
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    return nb.cells


def stdout_text(cell) -> str:
    """All that the cell wrote to standard output, in order, with its carriage returns."""
    return "".join(o["text"] for o in cell.outputs if o["output_type"] == "stream" and o["name"] == "stdout")


def rendered_lines(text) -> list:
    """The lines a notebook shows for ``text``: on each line, a carriage return wipes what came before it."""
    return [line.rsplit("\r", 1)[-1].rstrip() for line in text.split("\n")]


def images(cell) -> int:
    """How many images the cell's outputs show."""
    return sum("image/png" in o.get("data", {}) for o in cell.outputs)
