# Source: Hands-On Machine Learning (2nd ed.), chapter 10, "Using TensorBoard for Visualization". Only the
# import lines are changed; data: random rows of California housing's shape. Does not run: neuronet has no
# TensorBoard (see docs/from-keras.md: CSVLogger, LivePlot or the History for the same curves).
import os
import time
import numpy as np
import neuronet as keras                  # was: from tensorflow import keras

_rng = np.random.default_rng(42)
X_train, y_train = _rng.normal(size=(500, 8)), _rng.uniform(0.15, 5, 500)
X_valid, y_valid = _rng.normal(size=(100, 8)), _rng.uniform(0.15, 5, 100)

root_logdir = os.path.join(os.curdir, "my_logs")


def get_run_logdir():
    run_id = time.strftime("run_%Y_%m_%d-%H_%M_%S")
    return os.path.join(root_logdir, run_id)


run_logdir = get_run_logdir()
model = keras.models.Sequential([
    keras.layers.Dense(30, activation="relu", input_shape=[8]),
    keras.layers.Dense(30, activation="relu"),
    keras.layers.Dense(1)
])
model.compile(loss="mse", optimizer=keras.optimizers.SGD(lr=1e-3))
tensorboard_cb = keras.callbacks.TensorBoard(run_logdir)
history = model.fit(X_train, y_train, epochs=2,
                    validation_data=(X_valid, y_valid),
                    callbacks=[tensorboard_cb])
