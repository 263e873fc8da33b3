"""QuantilePruning: a run worse than a quantile of other runs at the same epoch is stopped."""
import numpy as np
import pytest

from neuronet.callbacks import Callback, QuantilePruning


class _Model:
    stop_training = False
    history = None


def _run(pruning, values, key="val_loss"):
    """Feed ``values`` as the monitored metric of successive epochs, as fit does; epochs run."""
    pruning.set_model(_Model())
    pruning.on_train_begin()
    ran = 0
    for epoch, value in enumerate(values):
        pruning.on_epoch_end(epoch, {key: value})
        ran += 1
        if pruning.model.stop_training:
            break
    pruning.on_train_end()
    return ran


REFERENCE = [[1.0, 0.8, 0.6, 0.5], [0.9, 0.7, 0.5, 0.4], [1.1, 0.9, 0.7, 0.6], [1.0, 0.6, 0.4, 0.3]]


def test_a_run_worse_than_the_median_at_an_epoch_is_stopped():
    pruning = QuantilePruning("val_loss", quantile=0.5, reference=REFERENCE, min_runs=4)
    assert pruning.threshold(1) == pytest.approx(0.75)
    assert _run(pruning, [0.95, 0.74, 0.9, 0.9]) == 3     # epoch 2: best 0.74 > median 0.55
    assert pruning.pruned and pruning.pruned_at == 2


def test_a_good_run_and_the_warmup_epochs_are_not_pruned():
    assert _run(QuantilePruning(reference=REFERENCE), [0.9, 0.6, 0.45, 0.35]) == 4
    late = QuantilePruning(reference=REFERENCE, warmup_epochs=3)
    assert _run(late, [2.0, 2.0, 2.0, 2.0]) == 4 and late.pruned and late.pruned_at == 3


def test_too_few_runs_at_an_epoch_prune_nothing():
    pruning = QuantilePruning(reference=[[1.0], [1.0]], min_runs=3)
    assert _run(pruning, [5.0, 5.0]) == 2 and not pruning.pruned


def test_successive_fits_are_pruned_against_the_earlier_ones():
    pruning = QuantilePruning(quantile=0.5, min_runs=2)
    for curve in ([1.0, 0.5], [0.9, 0.4]):
        assert _run(pruning, curve) == 2
    assert _run(pruning, [2.0, 2.0]) == 1 and pruning.pruned


def test_a_metric_that_grows_is_compared_the_other_way():
    pruning = QuantilePruning("val_acc", quantile=0.5, reference=[[0.6, 0.8], [0.7, 0.9]], min_runs=2)
    assert pruning.mode == "max"
    assert _run(pruning, [0.9, 0.95], key="val_acc") == 2 and not pruning.pruned
    assert _run(pruning, [0.5, 0.5], key="val_acc") == 1 and pruning.pruned


def test_a_non_finite_value_stops_the_run():
    pruning = QuantilePruning()
    assert _run(pruning, [1.0, float("nan"), 0.5]) == 2 and pruning.pruned


def test_it_stops_a_real_fit():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3)).astype("float32")
    model = Sequential([Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    pruning = QuantilePruning("val_loss", reference=[[0.0] * 10] * 4)
    history = model.fit(x, x[:, :1], epochs=10, validation_data=(x, x[:, :1]), verbose=0, callbacks=[pruning])
    assert len(history.epoch) == 1 and pruning.pruned
    assert isinstance(pruning, Callback)


@pytest.mark.parametrize("kwargs, match", [({"quantile": 1.5}, "quantile"), ({"quantile": True}, "quantile"),
                                           ({"min_runs": -1}, "min_runs"), ({"warmup_epochs": 0.5}, "warmup_epochs")])
def test_invalid_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        QuantilePruning(**kwargs)
