# Source: https://machinelearningmastery.com/use-keras-deep-learning-models-scikit-learn-python/ (Use Keras
# Deep Learning Models with Scikit-Learn in Python), as published for Keras 2 (build_fn=, a param_grid of
# unprefixed names). Only the import lines are changed; data: random Pima-shaped rows (200 of 768);
# epochs and the grid shortened (epochs 150 -> 2; grid [50, 100, 150] -> [1, 2], batches [5, 10, 20] -> [10, 20]).
from neuronet.models import Sequential                          # was: from keras.models import Sequential
from neuronet.layers import Dense                               # was: from keras.layers import Dense
from neuronet.wrappers.scikit_learn import KerasClassifier      # was: from keras.wrappers.scikit_learn import KerasClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.model_selection import cross_val_score
from sklearn.model_selection import GridSearchCV
import numpy


# Function to create model, required for KerasClassifier
def create_model(optimizer='rmsprop', init='glorot_uniform'):
    # create model
    model = Sequential()
    model.add(Dense(12, input_dim=8, kernel_initializer=init, activation='relu'))
    model.add(Dense(8, kernel_initializer=init, activation='relu'))
    model.add(Dense(1, kernel_initializer=init, activation='sigmoid'))
    # Compile model
    model.compile(loss='binary_crossentropy', optimizer=optimizer, metrics=['accuracy'])
    return model


# fix random seed for reproducibility
seed = 7
numpy.random.seed(seed)
# data: numpy.loadtxt("pima-indians-diabetes.csv", delimiter=",") -> random rows of its shape
dataset = numpy.column_stack([numpy.random.uniform(0, 200, (200, 8)), numpy.random.randint(0, 2, 200)])
# split into input (X) and output (Y) variables
X = dataset[:, 0:8]
Y = dataset[:, 8]
# create model
model = KerasClassifier(build_fn=create_model, epochs=2, batch_size=10, verbose=0)
# evaluate using 10-fold cross validation
kfold = StratifiedKFold(n_splits=10, shuffle=True, random_state=seed)
results = cross_val_score(model, X, Y, cv=kfold)
print(results.mean())
# grid search epochs, batch size and optimizer
optimizers = ['rmsprop', 'adam']
init = ['glorot_uniform', 'normal', 'uniform']
epochs = [1, 2]
batches = [10, 20]
param_grid = dict(optimizer=optimizers, epochs=epochs, batch_size=batches, init=init)
grid = GridSearchCV(estimator=model, param_grid=param_grid)
grid_result = grid.fit(X, Y)
# summarize results
print("Best: %f using %s" % (grid_result.best_score_, grid_result.best_params_))
means = grid_result.cv_results_['mean_test_score']
stds = grid_result.cv_results_['std_test_score']
params = grid_result.cv_results_['params']
for mean, stdev, param in zip(means, stds, params):
    print("%f (%f) with: %r" % (mean, stdev, param))
