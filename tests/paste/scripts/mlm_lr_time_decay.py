# Source: https://machinelearningmastery.com/using-learning-rate-schedules-deep-learning-models-python-keras/
# (Using Learning Rate Schedules for Deep Learning Models in Python with Keras), section "Time-Based Learning
# Rate Schedule" (Keras 2's decay= argument). Only the import lines are changed; data: a random
# ionosphere.csv of the same shape (351 x 34 and the 'g'/'b' label); epochs 50 -> 3.
from pandas import read_csv
from neuronet.models import Sequential          # was: from tensorflow.keras.models import Sequential
from neuronet.layers import Dense               # was: from tensorflow.keras.layers import Dense
from neuronet.optimizers import SGD             # was: from tensorflow.keras.optimizers import SGD
from sklearn.preprocessing import LabelEncoder

# data: the tutorial's ionosphere.csv -> the same shape, random values
import numpy as np
import pandas as pd
_rng = np.random.default_rng(0)
pd.DataFrame(np.column_stack([_rng.uniform(-1, 1, (351, 34)).round(5), _rng.choice(["g", "b"], 351)])).to_csv(
    "ionosphere.csv", header=False, index=False)

# load dataset
dataframe = read_csv("ionosphere.csv", header=None)
dataset = dataframe.values
# split into input (X) and output (Y) variables
X = dataset[:, 0:34].astype(float)
Y = dataset[:, 34]
# encode class values
encoder = LabelEncoder()
encoder.fit(Y)
Y = encoder.transform(Y)
# create model
model = Sequential()
model.add(Dense(34, input_shape=(34,), activation='relu'))
model.add(Dense(1, activation='sigmoid'))
# Compile model
epochs = 3
learning_rate = 0.1
decay_rate = learning_rate / epochs
momentum = 0.8
sgd = SGD(learning_rate=learning_rate, momentum=momentum, decay=decay_rate, nesterov=False)
model.compile(loss='binary_crossentropy', optimizer=sgd, metrics=['accuracy'])
# Fit the model
model.fit(X, Y, validation_split=0.33, epochs=epochs, batch_size=28, verbose=2)
assert abs(float(sgd.learning_rate) - learning_rate / (1 + decay_rate * sgd.iterations)) < 1e-12
