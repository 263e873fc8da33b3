# Source: https://keras.io/guides/sequential_model/, the guide's first lines ("When to use a Sequential
# model"). Only the import lines are changed. Does not run: the input is made with keras.ops (a backend
# tensor op); neuronet takes NumPy arrays (np.ones((3, 3))).
import neuronet as keras                  # was: import keras
from neuronet import layers               # was: from keras import layers
from neuronet import ops                  # was: from keras import ops

# Define Sequential model with 3 layers
model = keras.Sequential(
    [
        layers.Dense(2, activation="relu", name="layer1"),
        layers.Dense(3, activation="relu", name="layer2"),
        layers.Dense(4, name="layer3"),
    ]
)
# Call model on a test input
x = ops.ones((3, 3))
y = model(x)
