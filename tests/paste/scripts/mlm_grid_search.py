# Source: https://machinelearningmastery.com/grid-search-hyperparameters-deep-learning-models-python-keras/
# (How to Grid Search Hyperparameters for Deep Learning Models in Python with Keras), sections "How to tune
# the learning rate and momentum" and "How to tune dropout regularization" (scikeras spelling). Only the
# import lines are changed; data: random Pima-shaped rows (150 of 768); epochs 100 -> 1, the grids shortened, n_jobs=-1 -> 1 (no worker processes in the test).
import numpy as np
from sklearn.model_selection import GridSearchCV
from neuronet.models import Sequential          # was: from tensorflow.keras.models import Sequential
from neuronet.layers import Dense               # was: from tensorflow.keras.layers import Dense
from neuronet.layers import Dropout             # was: from tensorflow.keras.layers import Dropout
from neuronet.constraints import MaxNorm        # was: from tensorflow.keras.constraints import MaxNorm
from neuronet.sklearn import KerasClassifier    # was: from scikeras.wrappers import KerasClassifier


# Function to create model, required for KerasClassifier
def create_model():
    # create model
    model = Sequential()
    model.add(Dense(12, input_shape=(8,), activation='relu'))
    model.add(Dense(1, activation='sigmoid'))
    return model


# fix random seed for reproducibility
seed = 7
np.random.seed(seed)
# data: np.loadtxt("pima-indians-diabetes.csv", delimiter=",") -> random rows of its shape
dataset = np.column_stack([np.random.uniform(0, 200, (150, 8)), np.random.randint(0, 2, 150)])
# split into input (X) and output (Y) variables
X = dataset[:, 0:8]
Y = dataset[:, 8]
# create model
model = KerasClassifier(model=create_model, loss="binary_crossentropy", optimizer="SGD", epochs=1, batch_size=10, verbose=0)
# define the grid search parameters
learn_rate = [0.001, 0.1]
momentum = [0.0, 0.9]
param_grid = dict(optimizer__learning_rate=learn_rate, optimizer__momentum=momentum)
grid = GridSearchCV(estimator=model, param_grid=param_grid, n_jobs=1, cv=3)
grid_result = grid.fit(X, Y)
# summarize results
print("Best: %f using %s" % (grid_result.best_score_, grid_result.best_params_))
means = grid_result.cv_results_['mean_test_score']
stds = grid_result.cv_results_['std_test_score']
params = grid_result.cv_results_['params']
for mean, stdev, param in zip(means, stds, params):
    print("%f (%f) with: %r" % (mean, stdev, param))


# Function to create model, required for KerasClassifier
def create_model(dropout_rate, weight_constraint):
    # create model
    model = Sequential()
    model.add(Dense(12, input_shape=(8,), kernel_initializer='uniform', activation='linear', kernel_constraint=MaxNorm(weight_constraint)))
    model.add(Dropout(dropout_rate))
    model.add(Dense(1, kernel_initializer='uniform', activation='sigmoid'))
    # Compile model
    model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
    return model


# create model
model = KerasClassifier(model=create_model, epochs=1, batch_size=10, verbose=0)
# define the grid search parameters
weight_constraint = [1.0, 3.0]
dropout_rate = [0.0, 0.5]
param_grid = dict(model__dropout_rate=dropout_rate, model__weight_constraint=weight_constraint)
grid = GridSearchCV(estimator=model, param_grid=param_grid, n_jobs=1, cv=3)
grid_result = grid.fit(X, Y)
# summarize results
print("Best: %f using %s" % (grid_result.best_score_, grid_result.best_params_))
