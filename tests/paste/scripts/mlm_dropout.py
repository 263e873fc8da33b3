# Source: https://machinelearningmastery.com/dropout-regularization-deep-learning-models-keras/ (Dropout
# Regularization in Deep Learning Models with Keras), section "Using Dropout on the Visible Layer" (scikeras
# spelling). Only the import lines are changed; data: random sonar-shaped rows; epochs 300 -> 2, 3 folds.
from pandas import read_csv
from neuronet.models import Sequential          # was: from tensorflow.keras.models import Sequential
from neuronet.layers import Dense               # was: from tensorflow.keras.layers import Dense
from neuronet.layers import Dropout             # was: from tensorflow.keras.layers import Dropout
from neuronet.constraints import MaxNorm        # was: from tensorflow.keras.constraints import MaxNorm
from neuronet.optimizers import SGD             # was: from tensorflow.keras.optimizers import SGD
from neuronet.sklearn import KerasClassifier    # was: from scikeras.wrappers import KerasClassifier
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import LabelEncoder
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import Pipeline

# data: the tutorial's sonar.csv -> the same shape, random values
import numpy as np
import pandas as pd
_rng = np.random.default_rng(1)
pd.DataFrame(np.column_stack([_rng.random((208, 60)).round(4), _rng.choice(["R", "M"], 208)])).to_csv(
    "sonar.csv", header=False, index=False)

# load dataset
dataframe = read_csv("sonar.csv", header=None)
dataset = dataframe.values
# split into input (X) and output (Y) variables
X = dataset[:, 0:60].astype(float)
Y = dataset[:, 60]
# encode class values as integers
encoder = LabelEncoder()
encoder.fit(Y)
encoded_Y = encoder.transform(Y)


# dropout in the input layer with weight constraint
def create_model():
    # create model
    model = Sequential()
    model.add(Dropout(0.2, input_shape=(60,)))
    model.add(Dense(60, activation='relu', kernel_constraint=MaxNorm(3)))
    model.add(Dense(30, activation='relu', kernel_constraint=MaxNorm(3)))
    model.add(Dense(1, activation='sigmoid'))
    # Compile model
    sgd = SGD(learning_rate=0.1, momentum=0.9)
    model.compile(loss='binary_crossentropy', optimizer=sgd, metrics=['accuracy'])
    return model


estimators = []
estimators.append(('standardize', StandardScaler()))
estimators.append(('mlp', KerasClassifier(model=create_model, epochs=2, batch_size=16, verbose=0)))
pipeline = Pipeline(estimators)
kfold = StratifiedKFold(n_splits=3, shuffle=True)
results = cross_val_score(pipeline, X, encoded_Y, cv=kfold)
print("Visible: %.2f%% (%.2f%%)" % (results.mean() * 100, results.std() * 100))
