# Source: https://www.tensorflow.org/tutorials/keras/classification (Basic classification: Classify images
# of clothing). Only the import lines are changed; data: random images of Fashion-MNIST's shape instead of
# the download; epochs 10 -> 2.
import neuronet as tf                     # was: import tensorflow as tf
import numpy as np
import matplotlib.pyplot as plt

print(tf.__version__)

# data: fashion_mnist.load_data() -> same shapes and dtypes, fewer rows
rng = np.random.default_rng(0)
train_images, train_labels = rng.integers(0, 256, (600, 28, 28), dtype=np.uint8), rng.integers(0, 10, 600, dtype=np.uint8)
test_images, test_labels = rng.integers(0, 256, (100, 28, 28), dtype=np.uint8), rng.integers(0, 10, 100, dtype=np.uint8)

class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']

train_images.shape
len(train_labels)

train_images = train_images / 255.0
test_images = test_images / 255.0

plt.figure(figsize=(10, 10))
for i in range(25):
    plt.subplot(5, 5, i + 1)
    plt.xticks([])
    plt.yticks([])
    plt.grid(False)
    plt.imshow(train_images[i], cmap=plt.cm.binary)
    plt.xlabel(class_names[train_labels[i]])
plt.show()

model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation='relu'),
    tf.keras.layers.Dense(10)
])

model.compile(optimizer='adam',
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])

model.fit(train_images, train_labels, epochs=2)

test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)

print('\nTest accuracy:', test_acc)

probability_model = tf.keras.Sequential([model,
                                         tf.keras.layers.Softmax()])

predictions = probability_model.predict(test_images)
predictions[0]
np.argmax(predictions[0])
test_labels[0]


def plot_value_array(i, predictions_array, true_label):
    true_label = true_label[i]
    plt.grid(False)
    plt.xticks(range(10))
    plt.yticks([])
    thisplot = plt.bar(range(10), predictions_array, color="#777777")
    plt.ylim([0, 1])
    predicted_label = np.argmax(predictions_array)

    thisplot[predicted_label].set_color('red')
    thisplot[true_label].set_color('blue')


img = test_images[1]
print(img.shape)
img = (np.expand_dims(img, 0))
print(img.shape)
predictions_single = probability_model.predict(img)
print(predictions_single)
plot_value_array(1, predictions_single[0], test_labels)
_ = plt.xticks(range(10), class_names, rotation=45)
plt.show()
np.argmax(predictions_single[0])
assert predictions.shape == (100, 10) and np.allclose(predictions.sum(axis=1), 1, atol=1e-5)
