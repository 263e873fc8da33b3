# Source: https://keras.io/guides/training_with_built_in_methods/, section "Custom losses". Only the import
# lines are changed; data: random MNIST-shaped rows. Does not run: the loss is written with keras.ops, whose
# gradient Keras gets by automatic differentiation (see docs/from-keras.md: subclass neuronet.losses.Loss
# with its gradient written out).
import numpy as np
import neuronet as keras                  # was: import keras
from neuronet import layers               # was: from keras import layers
from neuronet import ops                  # was: from keras import ops

rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, (500, 784)).astype("float32") / 255
y_train = rng.integers(0, 10, 500).astype("float32")


def get_uncompiled_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model


def custom_mean_squared_error(y_true, y_pred):
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


model = get_uncompiled_model()
model.compile(optimizer=keras.optimizers.Adam(), loss=custom_mean_squared_error)

# We need to one-hot encode the labels to use MSE
y_train_one_hot = ops.one_hot(y_train, num_classes=10)
model.fit(x_train, y_train_one_hot, batch_size=64, epochs=1)
