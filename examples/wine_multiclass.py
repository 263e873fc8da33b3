"""The notes' Keras multiclass classification (000_*.txt): wine, 13 -> 64-32-3 softmax, 'adam',
sparse_categorical_crossentropy, batch 32, 300 epochs, validation_split 0.2. Only the imports differ.

Run: python examples/wine_multiclass.py
"""
import argparse

import numpy as np
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from neuronet.layers import Dense
from neuronet.models import Sequential

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=300)
parser.add_argument("--verbose", type=int, default=2)
args = parser.parse_args()

data = load_wine()
print(data.target_names.tolist())  # the notes: list(data.target_names); NumPy 2 would print np.str_(...)
X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, random_state=0)

scaler = StandardScaler()
scaler.fit(X_train)
X_train = scaler.transform(X_train)
X_test = scaler.transform(X_test)
print(X_train.shape)

model = Sequential()
model.add(Dense(64, activation='relu', input_shape=(13,)))
model.add(Dense(32, activation='relu'))
model.add(Dense(3, activation='softmax'))
model.summary()

model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['acc'])
history = model.fit(X_train, y_train, batch_size=32, epochs=args.epochs, validation_split=0.2,
                    verbose=args.verbose)

train_loss, train_acc = model.evaluate(X_train, y_train, verbose=0)
test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0)
print('train loss: {:.3f}\ntest loss: {:.3f}'.format(train_loss, test_loss))
print('train acc: {:.3f}\ntest acc: {:.3f}'.format(train_acc, test_acc))
y_pred = model.predict(X_test)
print(np.argmax(y_pred[:10], axis=1))
