import pathlib
import sys

import numpy as np
import pytest

import neuronet
from neuronet.utils.naming import clear_session

# Test files in every folder import the shared helpers (`from gradcheck import numeric_gradient`)
# from here; pytest's importlib mode does not put test folders on sys.path.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """Data set downloads may reach the tests' own server on 127.0.0.1 only, never the internet."""
    from neuronet.datasets import download
    monkeypatch.setattr(download, "ALLOWED_HOSTS", {"127.0.0.1"})


@pytest.fixture(autouse=True)
def _fresh_session():
    """Every test starts with float32, fresh layer names and a fixed seed."""
    neuronet.config.set_floatx("float32")
    clear_session()
    neuronet.set_random_seed(1234)
    yield
    neuronet.config.set_floatx("float32")


@pytest.fixture
def float64():
    neuronet.config.set_floatx("float64")
    yield
    neuronet.config.set_floatx("float32")
