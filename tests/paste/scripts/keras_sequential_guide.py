# Source: https://keras.io/guides/sequential_model/ (The Sequential model), sections "Creating a Sequential
# model", "Specifying the input shape in advance" and "Transfer learning with a Sequential model" (its
# Dense stack). Only the import lines are changed; data: random rows for the fit the guide leaves out.
import numpy as np
import neuronet as keras                  # was: import keras
from neuronet import layers               # was: from keras import layers

model = keras.Sequential(
    [
        layers.Dense(2, activation="relu"),
        layers.Dense(3, activation="relu"),
        layers.Dense(4),
    ]
)
model.layers

model = keras.Sequential()
model.add(layers.Dense(2, activation="relu"))
model.add(layers.Dense(3, activation="relu"))
model.add(layers.Dense(4))

model.pop()
print(len(model.layers))  # 2

model = keras.Sequential(name="my_sequential")
model.add(layers.Dense(2, activation="relu", name="layer1"))
model.add(layers.Dense(3, activation="relu", name="layer2"))
model.add(layers.Dense(4, name="layer3"))

layer = layers.Dense(3)
layer.weights  # Empty

model = keras.Sequential()
model.add(keras.Input(shape=(4,)))
model.add(layers.Dense(2, activation="relu"))

model.summary()
model.layers

model = keras.Sequential()
model.add(layers.Dense(2, activation="relu", input_shape=(4,)))

model.summary()

model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(32, activation='relu'),
    layers.Dense(32, activation='relu'),
    layers.Dense(32, activation='relu'),
    layers.Dense(10),
])

# Presumably you would want to first load pre-trained weights.
# model.load_weights(...)

# Freeze all layers except the last one.
for layer in model.layers[:-1]:
    layer.trainable = False

# Recompile and train (this will only update the weights of the last layer).
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
# data: the guide's "model.fit(...)" -> random MNIST-shaped rows
rng = np.random.default_rng(0)
frozen = [w.copy() for w in model.layers[0].get_weights()]
model.fit(rng.random((256, 784)).astype("float32"), rng.integers(0, 10, 256), epochs=1, verbose=0)
assert all((a == b).all() for a, b in zip(frozen, model.layers[0].get_weights()))
