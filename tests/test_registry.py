"""The registries' lookup: unknown names list the known ones and suggest the nearest."""
import pytest

from neuronet.layers import Dense
from neuronet.models import Sequential


def small_model(out=1, activation=None, loss="mse"):
    model = Sequential([Dense(8, activation="relu", input_shape=(3,)), Dense(out, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    return model


@pytest.mark.parametrize("family, make, near", [
    ("activation", lambda: Dense(3, activation="rleu"), "relu"),
    ("loss", lambda: small_model().compile(optimizer="sgd", loss="mse_"), "mse"),
    ("optimizer", lambda: small_model().compile(optimizer="adamx", loss="mse"), "adam"),
    ("initializer", lambda: Dense(3, kernel_initializer="he_normall"), "he_normal"),
    ("metric", lambda: small_model().compile(optimizer="sgd", loss="mse", metrics=["maee"]), "mae"),
])
def test_unknown_names_list_known_ones_and_suggest_the_nearest(family, make, near):
    with pytest.raises(ValueError) as info:
        make()
    message = str(info.value)
    assert f"Could not interpret {family} identifier" in message
    assert f"'{near}'" in message and "Known:" in message
