"""The notes' model selection (001_*.txt grid search with Talos, 002_*.txt GridSearchCV over a Keras model,
003_*.txt k-fold cross-validation), on breast cancer instead of the notes' Churn CSV (not bundled). Only
the imports differ from the notes' code.

    1. k-fold cross-validation of a Keras model: cross_val_score(KerasClassifier(...), X, y, cv=10)
    2. GridSearchCV over batch_size, nb_epoch and the optimizer, scoring='accuracy', cv=10
    3. the Talos sweep: the notes' Talos_Grid_Search_DLI and parameter dictionary, with neuronet.search

Run: python examples/grid_search_cross_validation.py          (--epochs 5 --folds 3 for a quick run)
"""
import argparse

from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.preprocessing import StandardScaler

import neuronet
from neuronet.activations import elu, relu
from neuronet.layers import Dense, Dropout
from neuronet.losses import binary_crossentropy
from neuronet.models import Sequential
from neuronet.optimizers import Adam, Nadam
from neuronet.search import fmeasure_acc, grid_search, live
from neuronet.wrappers.scikit_learn import KerasClassifier

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=100, help="the longest training; the grids scale to it")
parser.add_argument("--folds", type=int, default=10)
parser.add_argument("--n-jobs", type=int, default=1)
args = parser.parse_args()
neuronet.set_random_seed(0)

X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X)


def build_classifier(optimizer='adam'):
    classifier = Sequential()
    classifier.add(Dense(6, kernel_initializer='uniform', activation='relu', input_dim=X.shape[1]))
    classifier.add(Dense(1, kernel_initializer='uniform', activation='sigmoid'))
    classifier.compile(optimizer=optimizer, loss='binary_crossentropy', metrics=['accuracy'])
    return classifier


# 1. k-fold cross-validation (003): each sample is tested once, in the fold left out.
classifier = KerasClassifier(build_fn=build_classifier, batch_size=10, epochs=args.epochs, random_state=0)
accuracies = cross_val_score(estimator=classifier, X=X, y=y, cv=args.folds, n_jobs=args.n_jobs)
print(f"{args.folds}-fold accuracies: {accuracies.round(3).tolist()}")
print(f"mean {accuracies.mean():.3f}, standard deviation {accuracies.std():.3f}")

# 2. GridSearchCV over a Keras model (002)
my_model = KerasClassifier(build_fn=build_classifier, random_state=0)
parameters = {'batch_size': [20, 30], 'nb_epoch': [args.epochs // 2, args.epochs], 'optimizer': ['adam', 'sgd']}
grid_search_cv = GridSearchCV(estimator=my_model, param_grid=parameters, scoring='accuracy', cv=args.folds,
                              n_jobs=args.n_jobs)
grid_search_cv = grid_search_cv.fit(X, y)
best_parameters = grid_search_cv.best_params_
best_accuracy = grid_search_cv.best_score_
print(best_parameters)
print(round(best_accuracy, 3))


# 3. The Talos sweep (001): the notes' model function, verbatim
def Talos_Grid_Search_DLI(x_train, y_train, x_val, y_val, params):

    model = Sequential()
    model.add(Dense(params['first_neuron'], input_dim=x_train.shape[1],
                    activation=params['activation'],
                    kernel_initializer=params['kernel_initializer']))

    model.add(Dropout(params['dropout']))

    model.add(Dense(1, activation=params['last_activation'],
                    kernel_initializer=params['kernel_initializer']))

    model.compile(loss=params['losses'],
                  optimizer=params['optimizer'](),
                  metrics=['acc', fmeasure_acc])

    history = model.fit(x_train, y_train,
                        validation_data=[x_val, y_val],
                        batch_size=params['batch_size'],
                        callbacks=[live()],
                        epochs=params['epochs'],
                        verbose=0)                 # the notes: verbose=1 (a progress line per epoch)

    return history, model


p = {'first_neuron': [9, 10, 11],
     'hidden_layers': [0, 1, 2],
     'batch_size': [30],
     'epochs': [args.epochs],
     'dropout': [0],
     'kernel_initializer': ['uniform', 'normal'],
     'optimizer': [Nadam, Adam],
     'losses': [binary_crossentropy],
     'activation': [relu, elu],
     'last_activation': ['sigmoid']}

x_train, x_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
scan = grid_search(x_train, y_train, p, model_fn=Talos_Grid_Search_DLI, x_val=x_val, y_val=y_val,
                   metric='val_fmeasure_acc', n_jobs=args.n_jobs, random_state=0)
print(f"{len(scan.table)} configurations, best by val_fmeasure_acc:")
print(scan.table[['first_neuron', 'kernel_initializer', 'optimizer', 'activation', 'val_acc',
                  'val_fmeasure_acc']].head(5).to_string(index=False))
print(scan.best_params)
