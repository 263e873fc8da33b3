# Source: https://machinelearningmastery.com/regression-tutorial-keras-deep-learning-library-python/
# (Regression Tutorial with the Keras Deep Learning Library in Python), sections "Develop a baseline neural
# network model" and "Modeling the standardized dataset" (scikeras spelling). Only the import lines are
# changed; data: housing.csv written from neuronet's bundled copy of the same Boston data; epochs 100 -> 2.
from pandas import read_csv
from neuronet.models import Sequential          # was: from tensorflow.keras.models import Sequential
from neuronet.layers import Dense               # was: from tensorflow.keras.layers import Dense
from neuronet.sklearn import KerasRegressor     # was: from scikeras.wrappers import KerasRegressor
from sklearn.model_selection import cross_val_score
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import Pipeline

# data: the tutorial's housing.csv (13 features and the price, whitespace-separated, no header)
import numpy as np
from neuronet.datasets import load_boston
np.savetxt("housing.csv", np.column_stack(load_boston(return_X_y=True)), fmt="%.5g")

# load dataset
dataframe = read_csv("housing.csv", sep=r"\s+", header=None)
dataset = dataframe.values
# split into input (X) and output (Y) variables
X = dataset[:, 0:13]
Y = dataset[:, 13]


# define base model
def baseline_model():
    # create model
    model = Sequential()
    model.add(Dense(13, input_shape=(13,), kernel_initializer='normal', activation='relu'))
    model.add(Dense(1, kernel_initializer='normal'))
    # Compile model
    model.compile(loss='mean_squared_error', optimizer='adam')
    return model


# evaluate model
estimator = KerasRegressor(model=baseline_model, epochs=2, batch_size=5, verbose=0)
kfold = KFold(n_splits=10)
results = cross_val_score(estimator, X, Y, cv=kfold, scoring='neg_mean_squared_error')
print("Baseline: %.2f (%.2f) MSE" % (results.mean(), results.std()))
# evaluate model with standardized dataset
estimators = []
estimators.append(('standardize', StandardScaler()))
estimators.append(('mlp', KerasRegressor(model=baseline_model, epochs=2, batch_size=5, verbose=0)))
pipeline = Pipeline(estimators)
kfold = KFold(n_splits=10)
results = cross_val_score(pipeline, X, Y, cv=kfold, scoring='neg_mean_squared_error')
print("Standardized: %.2f (%.2f) MSE" % (results.mean(), results.std()))
