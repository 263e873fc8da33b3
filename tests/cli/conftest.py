"""Shared CSV fixtures for the command-line tests (helpers: tests/cli_helpers.py)."""
import numpy as np
import pandas as pd
import pytest

from neuronet.datasets import load_boston


@pytest.fixture
def boston_csv(tmp_path):
    frame = load_boston(as_frame=True).frame
    path = tmp_path / "boston_house_prices.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def cat_csv(tmp_path):
    rng = np.random.default_rng(0)
    n = 240
    color, size, x = rng.choice(["red", "green", "blue"], n), rng.choice(["S", "M", "L"], n), rng.normal(size=n)
    label = np.where(x + 1.5 * (color == "red") - (size == "S") > 0.3, "yes", "no")
    path = tmp_path / "cat.csv"
    pd.DataFrame({"x": x, "color": color, "size": size, "label": label}).to_csv(path, index=False)
    return path


@pytest.fixture
def messy_csv(tmp_path):
    """Semicolon-separated, missing numbers and categories, an integer ID and a free-text name column."""
    rng = np.random.default_rng(0)
    n = 200
    area, age = rng.normal(size=n), rng.normal(size=n)
    town = rng.choice(["north", "south", "east"], n)
    price = 100 + 20 * area - 10 * age + 15 * (town == "north") + rng.normal(scale=2, size=n)
    frame = pd.DataFrame({"id": np.arange(5000, 5000 + n), "name": [f"house {i}" for i in range(n)],
                          "area": area, "age": age, "town": town, "price": price})
    frame.loc[rng.choice(n, 15, replace=False), "area"] = np.nan
    frame.loc[rng.choice(n, 8, replace=False), "town"] = np.nan
    path = tmp_path / "houses.csv"
    frame.to_csv(path, sep=";", index=False)
    return path
