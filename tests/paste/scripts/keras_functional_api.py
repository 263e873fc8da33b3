# Source: https://keras.io/guides/functional_api/ (The Functional API), sections "Introduction" and
# "Training, evaluation, and inference", "Save and serialize". Only the import lines are changed; data:
# random images of MNIST's shape instead of the download; epochs 2 -> 1.
import numpy as np
import neuronet as keras                  # was: import keras
from neuronet import layers               # was: from keras import layers

inputs = keras.Input(shape=(784,))
inputs.shape
inputs.dtype
dense = layers.Dense(64, activation="relu")
x = dense(inputs)
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")
model.summary()

# data: keras.datasets.mnist.load_data() -> MNIST's shapes and dtypes, random values
rng = np.random.default_rng(0)
x_train, y_train = rng.integers(0, 256, (60000, 28, 28), dtype=np.uint8), rng.integers(0, 10, 60000, dtype=np.uint8)
x_test, y_test = rng.integers(0, 256, (10000, 28, 28), dtype=np.uint8), rng.integers(0, 10, 10000, dtype=np.uint8)

x_train = x_train.reshape(60000, 784).astype("float32") / 255
x_test = x_test.reshape(10000, 784).astype("float32") / 255

model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=keras.optimizers.RMSprop(),
    metrics=["accuracy"],
)

history = model.fit(x_train, y_train, batch_size=64, epochs=1, validation_split=0.2)

test_scores = model.evaluate(x_test, y_test, verbose=2)
print("Test loss:", test_scores[0])
print("Test accuracy:", test_scores[1])

model.save("my_model.keras")
del model
# Recreate the exact same model purely from the file:
model = keras.models.load_model("my_model.keras")
