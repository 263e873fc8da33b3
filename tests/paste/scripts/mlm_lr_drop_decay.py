# Source: https://machinelearningmastery.com/using-learning-rate-schedules-deep-learning-models-python-keras/,
# section "Drop-Based Learning Rate Schedule" (LearningRateScheduler). Only the import lines are changed;
# data: a random ionosphere.csv of the same shape; epochs 50 -> 12.
from pandas import read_csv
import math
from neuronet.models import Sequential                  # was: from tensorflow.keras.models import Sequential
from neuronet.layers import Dense                       # was: from tensorflow.keras.layers import Dense
from neuronet.optimizers import SGD                     # was: from tensorflow.keras.optimizers import SGD
from sklearn.preprocessing import LabelEncoder
from neuronet.callbacks import LearningRateScheduler    # was: from tensorflow.keras.callbacks import LearningRateScheduler

# data: the tutorial's ionosphere.csv -> the same shape, random values
import numpy as np
import pandas as pd
_rng = np.random.default_rng(0)
pd.DataFrame(np.column_stack([_rng.uniform(-1, 1, (351, 34)).round(5), _rng.choice(["g", "b"], 351)])).to_csv(
    "ionosphere.csv", header=False, index=False)


# learning rate schedule
def step_decay(epoch):
    initial_lrate = 0.1
    drop = 0.5
    epochs_drop = 10.0
    lrate = initial_lrate * math.pow(drop, math.floor((1 + epoch) / epochs_drop))
    return lrate


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
sgd = SGD(learning_rate=0.0, momentum=0.9)
model.compile(loss='binary_crossentropy', optimizer=sgd, metrics=['accuracy'])
# learning schedule callback
lrate = LearningRateScheduler(step_decay)
callbacks_list = [lrate]
# Fit the model
model.fit(X, Y, validation_split=0.33, epochs=12, batch_size=28, callbacks=callbacks_list, verbose=2)
assert float(model.optimizer.learning_rate) == 0.05
