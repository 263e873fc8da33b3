"""ONNX export: ``model.export(path, format="onnx")`` (Keras 3's spelling) writes the inference graph that
``predict`` computes, so the model can be served by onnxruntime or any ONNX runtime.

Each layer becomes the ONNX operators of its inference formula: Dense is ``MatMul`` + ``Add`` then its
activation; BatchNormalization uses the moving statistics (``y = x * scale + shift`` with
``scale = gamma / sqrt(moving_variance + epsilon)``, ``shift = beta - moving_mean * scale``); Dropout and
GaussianNoise are the identity; Flatten, Reshape, the activation layers and the merge layers map to their
operators. The batch axis of every input and output is dynamic, named ``batch``. Needs the ``onnx``
package (``pip install 'neuronet[onnx]'``).

    >>> # model.export("model.onnx", format="onnx")
    >>> # import onnxruntime as ort
    >>> # session = ort.InferenceSession("model.onnx")
    >>> # y = session.run(None, {session.get_inputs()[0].name: x.astype("float32")})[0]
"""
from __future__ import annotations

import numpy as np

OPSET = 17
_MERGE_OPS = {"Add": "Sum", "Multiply": "Mul", "Maximum": "Max", "Minimum": "Min", "Average": "Mean"}
# augmentation layers: training-time only, the identity in predict (as in Keras)
_INFERENCE_IDENTITY = {"RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast"}
_SIMPLE = {"linear": "Identity", "sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "Relu", "softplus": "Softplus",
           "softsign": "Softsign", "elu": "Elu", "selu": "Selu"}


class _Builder:
    """Collects ONNX nodes and constant initializers with unique names."""

    def __init__(self, onnx, dtype):
        self.onnx, self.helper, self.dtype = onnx, onnx.helper, np.dtype(dtype)
        self.nodes, self.initializers, self.count = [], [], 0

    def name(self, base):
        self.count += 1
        return f"{base}_{self.count}"

    def const(self, value, base="const", dtype=None):
        name = self.name(base)
        array = np.asarray(value, dtype=dtype or self.dtype)
        self.initializers.append(self.onnx.numpy_helper.from_array(array, name))
        return name

    def op(self, op_type, inputs, base=None, **attrs):
        out = self.name(base or op_type.lower())
        self.nodes.append(self.helper.make_node(op_type, list(inputs), [out], name=out, **attrs))
        return out


def _activation(b, x, spec, where):
    """The ONNX nodes of an activation given as neuronet serializes it (a name, or an activation layer's config)."""
    if isinstance(spec, dict):
        return _layer_ops(b, [x], spec["class_name"], spec.get("config") or {}, None, where)
    from neuronet.activations import ACTIVATIONS
    name = ACTIVATIONS.canonical(spec) if spec in ACTIVATIONS else spec
    name = {"linear": "linear"}.get(name, name)
    if name in _SIMPLE:
        if name == "selu":
            return b.op("Selu", [x], alpha=1.6732632423543772, gamma=1.0507009873554805)
        return b.op(_SIMPLE[name], [x])
    if name == "softmax":
        return b.op("Softmax", [x], axis=-1)
    if name == "log_softmax":
        return b.op("LogSoftmax", [x], axis=-1)
    if name == "hard_sigmoid":
        return b.op("HardSigmoid", [x], alpha=1 / 6, beta=0.5)
    if name == "relu6":
        return b.op("Clip", [x, b.const(0.0), b.const(6.0)])
    if name == "leaky_relu":
        return b.op("LeakyRelu", [x], alpha=0.2)
    if name == "silu":
        return b.op("Mul", [x, b.op("Sigmoid", [x])])
    if name == "hard_silu":
        return b.op("Mul", [x, b.op("HardSigmoid", [x], alpha=1 / 6, beta=0.5)])
    if name == "mish":
        return b.op("Mul", [x, b.op("Tanh", [b.op("Softplus", [x])])])
    if name == "gelu":          # 0.5 x (1 + erf(x / sqrt 2))
        erf = b.op("Erf", [b.op("Mul", [x, b.const(1 / np.sqrt(2.0))])])
        return b.op("Mul", [b.op("Mul", [x, b.const(0.5)]), b.op("Add", [erf, b.const(1.0)])])
    if name == "step":
        return b.op("Cast", [b.op("Greater", [x, b.const(0.0)])], to=b.helper.np_dtype_to_tensor_dtype(b.dtype))
    raise ValueError(f"Cannot export {where} to ONNX: activation {spec!r} has no ONNX mapping in neuronet. "
                     "Supported: linear, sigmoid, tanh, relu, relu6, leaky_relu, elu, selu, softplus, softsign, "
                     "softmax, log_softmax, hard_sigmoid, silu/swish, hard_silu, mish, gelu (exact), step.")


def _relu(b, x, max_value=None, negative_slope=0.0, threshold=0.0):
    """Keras' relu: x on [threshold, max_value), negative_slope * (x - threshold) below, max_value above."""
    if negative_slope == 0 and threshold == 0:
        y = b.op("Relu", [x])
    else:
        below = b.op("Mul", [b.op("Sub", [x, b.const(threshold)]), b.const(negative_slope)])
        y = b.op("Where", [b.op("GreaterOrEqual", [x, b.const(threshold)]), x, below])
    return y if max_value is None else b.op("Min", [y, b.const(max_value)])


def _layer_ops(b, inputs, class_name, config, layer, where):
    x = inputs[0]
    if class_name in ("Dropout", "GaussianNoise", "InputLayer") or class_name in _INFERENCE_IDENTITY:
        return b.op("Identity", [x])
    if class_name == "Rescaling":
        return b.op("Add", [b.op("Mul", [x, b.const(config["scale"])]), b.const(config.get("offset", 0.0))])
    if class_name == "Dense":
        y = b.op("MatMul", [x, b.const(layer.params["kernel"], "kernel")])
        if "bias" in layer.params:
            y = b.op("Add", [y, b.const(layer.params["bias"], "bias")])
        return _activation(b, y, config.get("activation", "linear"), where)
    if class_name == "Activation":
        return _activation(b, x, config["activation"], where)
    if class_name == "BatchNormalization":
        p, s = layer.params, layer.states
        var, mean = s["moving_variance"].astype("float64"), s["moving_mean"].astype("float64")
        scale = (p["gamma"].astype("float64") if "gamma" in p else 1.0) / np.sqrt(var + layer.epsilon)
        shift = (p["beta"].astype("float64") if "beta" in p else 0.0) - mean * scale
        shape = [1] * (len(layer.input_shape) + 1)
        shape[layer.axis] = -1
        return b.op("Add", [b.op("Mul", [x, b.const(np.reshape(scale, shape), "bn_scale")]),
                            b.const(np.reshape(shift, shape), "bn_shift")])
    if class_name == "Flatten":
        return b.op("Flatten", [x], axis=1)
    if class_name == "Reshape":
        return b.op("Reshape", [x, b.const([0, *config["target_shape"]], "shape", dtype="int64")])
    if class_name == "ReLU":
        return _relu(b, x, config.get("max_value"), config.get("negative_slope", 0.0), config.get("threshold", 0.0))
    if class_name == "LeakyReLU":
        return b.op("LeakyRelu", [x], alpha=float(config["negative_slope"]))
    if class_name == "ELU":
        return b.op("Elu", [x], alpha=float(config.get("alpha", 1.0)))
    if class_name == "ThresholdedReLU":
        return b.op("Where", [b.op("Greater", [x, b.const(config.get("theta", 1.0))]), x, b.const(0.0)])
    if class_name == "Softmax":
        return b.op("Softmax", [x], axis=int(config.get("axis", -1)))
    if class_name == "PReLU":
        return b.op("PRelu", [x, b.const(layer.params["alpha"], "alpha")])
    if class_name in _MERGE_OPS:
        return b.op(_MERGE_OPS[class_name], inputs)
    if class_name == "Subtract":
        return b.op("Sub", inputs[:2])
    if class_name == "Concatenate":
        return b.op("Concat", inputs, axis=int(config.get("axis", -1)))
    raise ValueError(f"Cannot export {where} to ONNX: layer class {class_name} has no ONNX mapping in neuronet. "
                     "Supported: Dense, Activation, the activation layers, Dropout, GaussianNoise, Rescaling, the "
                     "augmentation layers but RandomCrop (the identity at inference), "
                     "BatchNormalization, Flatten, Reshape, Add, Subtract, Multiply, Average, Maximum, Minimum, "
                     "Concatenate, and Sequential or functional models of them.")


def _model_ops(b, model, inputs):
    """The output names of ``model`` applied to the tensors named ``inputs`` (nested models recursively)."""
    graph = getattr(model, "graph", None)
    if graph is None:                      # a Sequential: a chain
        x = inputs[0]
        for layer in model.layers:
            x = _apply(b, layer, [x])[0]
        return [x]
    values = dict(zip((t.id for t in graph.inputs), inputs))
    for node in graph.nodes:
        if not node.inputs:                # an Input: given
            continue
        outs = _apply(b, node.layer, [values[t.id] for t in node.inputs])
        values.update(zip((t.id for t in node.outputs), outs))
    return [values[t.id] for t in graph.outputs]


def _apply(b, layer, inputs):
    if hasattr(layer, "layers"):
        return _model_ops(b, layer, inputs)
    return [_layer_ops(b, inputs, type(layer).__name__, layer.get_config(), layer, f"layer {layer.name!r}")]


def export_onnx(model, filepath, opset=OPSET):
    """Write ``model``'s inference graph to ``filepath`` as an ONNX model (atomically)."""
    try:
        import onnx
    except ImportError:
        raise ImportError("model.export(format='onnx') needs the onnx package: pip install 'neuronet[onnx]' "
                          "(or pip install onnx).") from None
    from neuronet.utils.atomic import atomic_write
    if not model.built:
        raise ValueError("This model has not yet been built, so it cannot be exported: build it first (give the "
                         "first layer an input_shape, or call fit/predict once).")
    dtype = np.dtype(model.dtype)
    b = _Builder(onnx, dtype)
    graph = getattr(model, "graph", None)
    shapes = [tuple(t.shape)[1:] for t in graph.inputs] if graph is not None else [tuple(model.sample_shape)]
    names = [f"input_{i}" if len(shapes) > 1 else "input" for i in range(len(shapes))]
    outputs = _model_ops(b, model, names)
    elem = onnx.helper.np_dtype_to_tensor_dtype(dtype)
    graph_inputs = [onnx.helper.make_tensor_value_info(n, elem, ["batch", *s]) for n, s in zip(names, shapes)]
    sample = [np.zeros((1, *s), dtype) for s in shapes]
    produced = model.predict(sample if len(sample) > 1 else sample[0], verbose=0)
    produced = produced if isinstance(produced, list) else [produced]
    final = []
    for i, (out, value) in enumerate(zip(outputs, produced)):
        name = "output" if len(outputs) == 1 else f"output_{i}"
        b.nodes.append(onnx.helper.make_node("Identity", [out], [name], name=name))
        final.append(onnx.helper.make_tensor_value_info(name, elem, ["batch", *np.shape(value)[1:]]))
    onnx_graph = onnx.helper.make_graph(b.nodes, model.name, graph_inputs, final, b.initializers)
    proto = onnx.helper.make_model(onnx_graph, opset_imports=[onnx.helper.make_opsetid("", opset)],
                                   producer_name="neuronet")
    proto.ir_version = min(proto.ir_version, 8)   # readable by onnxruntime releases of the last years
    onnx.checker.check_model(proto)
    data = proto.SerializeToString()
    atomic_write(filepath, lambda fh: fh.write(data))


__all__ = ["export_onnx", "OPSET"]
