# Source: https://www.tensorflow.org/tutorials/keras/regression (Basic regression: Predict fuel efficiency).
# Only the import lines are changed; data: a random table with Auto MPG's columns instead of the download;
# epochs 100 -> 3.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

np.set_printoptions(precision=3, suppress=True)

import neuronet as tf                     # was: import tensorflow as tf
import neuronet as keras                 # was: from tensorflow import keras
from neuronet import layers               # was: from tensorflow.keras import layers

print(tf.__version__)

# data: pd.read_csv(url, names=column_names, ...) -> the same columns, random values, a few missing
column_names = ['MPG', 'Cylinders', 'Displacement', 'Horsepower', 'Weight',
                'Acceleration', 'Model Year', 'Origin']
rng = np.random.default_rng(0)
raw_dataset = pd.DataFrame({'MPG': rng.uniform(9, 46, 398), 'Cylinders': rng.choice([4, 6, 8], 398),
                            'Displacement': rng.uniform(68, 455, 398), 'Horsepower': rng.uniform(46, 230, 398),
                            'Weight': rng.uniform(1613, 5140, 398), 'Acceleration': rng.uniform(8, 25, 398),
                            'Model Year': rng.integers(70, 83, 398), 'Origin': rng.integers(1, 4, 398)})
raw_dataset.loc[[32, 126, 330], 'Horsepower'] = np.nan

dataset = raw_dataset.copy()
dataset.tail()
dataset.isna().sum()
dataset = dataset.dropna()
dataset['Origin'] = dataset['Origin'].map({1: 'USA', 2: 'Europe', 3: 'Japan'})
dataset = pd.get_dummies(dataset, columns=['Origin'], prefix='', prefix_sep='')
dataset.tail()

train_dataset = dataset.sample(frac=0.8, random_state=0)
test_dataset = dataset.drop(train_dataset.index)
train_dataset.describe().transpose()

train_features = train_dataset.copy()
test_features = test_dataset.copy()

train_labels = train_features.pop('MPG')
test_labels = test_features.pop('MPG')

train_dataset.describe().transpose()[['mean', 'std']]

normalizer = tf.keras.layers.Normalization(axis=-1)
normalizer.adapt(np.array(train_features))
print(normalizer.mean.numpy())

first = np.array(train_features[:1])

with np.printoptions(precision=2, suppress=True):
    print('First example:', first)
    print()
    print('Normalized:', normalizer(first).numpy())

horsepower = np.array(train_features['Horsepower'])

horsepower_normalizer = layers.Normalization(input_shape=[1,], axis=None)
horsepower_normalizer.adapt(horsepower)

horsepower_model = tf.keras.Sequential([
    horsepower_normalizer,
    layers.Dense(units=1)
])

horsepower_model.summary()
horsepower_model.predict(horsepower[:10])
horsepower_model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=0.1),
    loss='mean_absolute_error')

history = horsepower_model.fit(
    train_features['Horsepower'],
    train_labels,
    epochs=3,
    # Suppress logging.
    verbose=0,
    # Calculate validation results on 20% of the training data.
    validation_split=0.2)

hist = pd.DataFrame(history.history)
hist['epoch'] = history.epoch
hist.tail()

test_results = {}
test_results['horsepower_model'] = horsepower_model.evaluate(
    test_features['Horsepower'],
    test_labels, verbose=0)

x = tf.linspace(0.0, 250, 251)
y = horsepower_model.predict(x)
