"""talos_model, fmeasure_acc and live: the notes' parameter dictionary and their Talos model function,
run unchanged."""
import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from neuronet.optimizers import Adam
from neuronet.search import grid_search, random_search


@pytest.fixture(scope="module")
def data():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    return X[:300], y[:300], X[300:400], y[300:400]


def test_the_notes_parameter_dictionary_runs(data):
    from sklearn.model_selection import ParameterGrid
    from neuronet.activations import elu, relu
    from neuronet.losses import binary_crossentropy
    from neuronet.optimizers import Nadam
    X, y, Xv, yv = data
    p = {'first_neuron': [9, 10, 11],
         'hidden_layers': [0, 1, 2],
         'batch_size': [30],
         'epochs': [2],                       # the notes train for 100
         'dropout': [0],
         'kernel_initializer': ['uniform', 'normal'],
         'optimizer': [Nadam, Adam],
         'losses': [binary_crossentropy],
         'activation': [relu, elu],
         'last_activation': ['sigmoid']}
    assert len(ParameterGrid(p)) == 72
    result = random_search(X, y, p, n_iter=6, x_val=Xv, y_val=yv, metric="val_acc")
    assert len(result.table) == 6 and result.best_params["optimizer"] in (Nadam, Adam)
    assert set(result.table["activation"]) <= {"relu", "elu"}


def Talos_Grid_Search_DLI(x_train, y_train, x_val, y_val, params):
    """The notes' Talos model function, verbatim (fig. 8.1); only the imports differ."""
    from neuronet.layers import Dense, Dropout
    from neuronet.models import Sequential
    from neuronet.search import fmeasure_acc, live

    model = Sequential()
    model.add(Dense(params['first_neuron'], input_dim=x_train.shape[1],
                    activation=params['activation'],
                    kernel_initializer=params['kernel_initializer']))

    model.add(Dropout(params['dropout']))

    model.add(Dense(1, activation=params['last_activation'],
                    kernel_initializer=params['kernel_initializer']))

    model.compile(loss=params['losses'],
                  optimizer=params['optimizer'](),
                  metrics=['acc', fmeasure_acc])

    history = model.fit(x_train, y_train,
                        validation_data=[x_val, y_val],
                        batch_size=params['batch_size'],
                        callbacks=[live()],
                        epochs=params['epochs'],
                        verbose=1)

    return history, model


def test_the_notes_talos_model_function_runs_unchanged_with_fmeasure_acc_and_live(data, capsys):
    from sklearn.metrics import f1_score
    from neuronet.activations import relu
    from neuronet.losses import binary_crossentropy
    X, y, Xv, yv = data
    p = {'first_neuron': [9, 10], 'batch_size': [30], 'epochs': [3], 'dropout': [0],
         'kernel_initializer': ['uniform'], 'optimizer': [Adam], 'losses': [binary_crossentropy],
         'activation': [relu], 'last_activation': ['sigmoid']}
    result = grid_search(X, y, p, model_fn=Talos_Grid_Search_DLI, x_val=Xv, y_val=yv, metric="val_fmeasure_acc")
    assert {"acc", "fmeasure_acc", "val_acc", "val_fmeasure_acc"} <= set(result.table.columns)
    assert result.table["val_fmeasure_acc"].is_monotonic_decreasing       # higher F1 ranks first
    history, model = Talos_Grid_Search_DLI(X, y, Xv, yv, {k: v[0] for k, v in p.items()})
    assert "Epoch 3/3" in capsys.readouterr().out
    expected = f1_score(yv, model.predict(Xv, verbose=0).ravel() > 0.5)
    assert history.history["val_fmeasure_acc"][-1] == pytest.approx(expected, abs=1e-6)
