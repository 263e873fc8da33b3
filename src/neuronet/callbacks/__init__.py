"""Callbacks: Keras' hooks around fit. One file per callback.

    >>> from neuronet.callbacks import Callback, History, EarlyStopping, ModelCheckpoint
"""
from neuronet.callbacks.base import Callback, CallbackList
from neuronet.callbacks.history import History
from neuronet.callbacks.progbar import ProgbarLogger
from neuronet.callbacks.gradient_flow import GradientFlow
from neuronet.callbacks.early_stopping import EarlyStopping
from neuronet.callbacks.model_checkpoint import ModelCheckpoint
from neuronet.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from neuronet.callbacks.lr_scheduler import LearningRateScheduler
from neuronet.callbacks.terminate_on_nan import TerminateOnNaN
from neuronet.callbacks.csv_logger import CSVLogger
from neuronet.callbacks.lambda_callback import LambdaCallback
from neuronet.callbacks.backup_and_restore import BackupAndRestore
from neuronet.callbacks.live_plot import LivePlot
from neuronet.callbacks.quantile_pruning import QuantilePruning

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger", "EarlyStopping", "ModelCheckpoint",
           "ReduceLROnPlateau", "LearningRateScheduler", "TerminateOnNaN", "CSVLogger", "LambdaCallback",
           "BackupAndRestore", "GradientFlow", "LivePlot", "QuantilePruning"]
