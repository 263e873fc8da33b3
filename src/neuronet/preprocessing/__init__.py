"""Keras 2's preprocessing namespace: ``neuronet.preprocessing.image.ImageDataGenerator``."""
from neuronet.preprocessing import image

__all__ = ["image"]
