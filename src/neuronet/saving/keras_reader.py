"""Reading configs in Keras' serialization schema (Keras 3's or Keras 2's) into neuronet's
``{"class_name", "config"}`` form, refusing every name outside neuronet's registries (see
keras_config.py for the schema). Nothing here imports a module or calls anything a config names.

    >>> from_keras({"module": "keras.layers", "class_name": "Dropout", "config": {"rate": 0.5}}, "layer")
    {'class_name': 'Dropout', 'config': {'rate': 0.5}}
"""
from __future__ import annotations

from neuronet.exceptions import ModelFormatError, UnsafeModelError
from neuronet.saving.keras_config import (MAX_DEPTH, MODEL_CLASSES, UNUSED_KEYS, canonical_name, family_of_key,
                                          registry)

_SCALAR = (str, int, float, bool, type(None))


class Reader:
    """Converts Keras-schema configs of one file (``path`` names it in every error) to neuronet's,
    refusing names outside the registries and ``custom_objects``; ``dtype`` is the float dtype the
    layers' policies name (the model's)."""

    def __init__(self, path, custom_objects=None):
        self.path, self.custom, self.dtype = path, dict(custom_objects or {}), None

    def fail(self, why):
        return ModelFormatError(f"{self.path!r} is not a model file neuronet can read or it is corrupted: {why}")

    def check_name(self, class_name, module, family):
        if not isinstance(class_name, str):
            raise self.fail(f"invalid class_name {class_name!r}")
        if class_name in self.custom:
            return
        known = registry(family)
        if class_name not in known:
            raise UnsafeModelError(f"{self.path!r} names {family} class {class_name!r}"
                                   f"{f' from module {module!r}' if module else ''}, which is not in neuronet's "
                                   "registries; refused (loading never runs code a file names). Register your own "
                                   "classes (neuronet.layers.register) or pass custom_objects={...} to load_model.")
        if module is None or module == "keras" or (isinstance(module, str) and module.startswith("keras.")):
            return
        owner = getattr(known.lookup(class_name), "__module__", None)
        if module != owner:
            raise UnsafeModelError(f"{self.path!r} names class {class_name!r} from module {module!r}, which is "
                                   "neither Keras nor the module of the class neuronet has registered under that "
                                   "name; refused. Pass custom_objects={...} to load_model if it is yours.")

    def read(self, spec, family, depth=0, key=None):
        """One serialized object back in neuronet's form; plain values pass through."""
        if depth > MAX_DEPTH:
            raise self.fail("the config is nested too deeply")
        if isinstance(spec, list):
            return [self.read(v, family, depth + 1) for v in spec]
        if not isinstance(spec, dict):
            if not isinstance(spec, _SCALAR):
                raise self.fail(f"invalid value {spec!r}")
            return spec
        if "class_name" not in spec:
            return {str(k): self.read(v, family_of_key(str(k), family), depth + 1, str(k)) for k, v in spec.items()}
        name, module = spec.get("class_name"), spec.get("module")
        if name == "DTypePolicy" or name == "Policy":
            cfg = spec.get("config") or {}
            return cfg.get("name") if isinstance(cfg, dict) else None
        if name == "__tuple__":
            return self.read(spec.get("items"), family, depth + 1)
        if family == "layer" and name in MODEL_CLASSES:
            family = "model"
        self.check_name("Model" if name == "Functional" else name, module, family)
        config = spec.get("config")
        if config is None:
            config = {}
        if not isinstance(config, dict):
            raise self.fail(f"the config of {name!r} is not an object")
        if family == "model":
            return self._model(name, config, depth)
        out = {}
        for k, v in config.items():
            out[str(k)] = self.read(v, family_of_key(str(k), family), depth + 1, str(k))
        if family == "layer":
            out = self._layer(name, out)
        elif family == "optimizer":
            out = self._drop_unused(name, out)
        elif family in ("loss", "metric"):
            out = self._drop_loss_defaults(name, family, out)
        elif family == "initializer" and out.get("seed") is None:
            out.pop("seed", None)
        return {"class_name": name, "config": out}

    def _drop_unused(self, name, config):
        for key, keep in UNUSED_KEYS.items():
            if key in config and key != "seed":
                if key.endswith("_constraint") and config[key] is not None:
                    continue                   # a constraint: the layer takes it (or refuses it by name)
                if keep == "any" or config[key] in keep:
                    config.pop(key)
                else:
                    raise self.fail(f"{name} sets {key}={config[key]!r}, which neuronet does not support")
        return config

    def _drop_loss_defaults(self, name, family, config):
        """Keras 3 writes ``dtype=None`` (the model's) and ``axis=-1`` (the last) in loss and metric configs;
        dropped where neuronet's class takes no such argument, as they mean its behaviour."""
        import inspect
        try:
            cls = self.custom.get(name) or registry(family).lookup(name)
            accepted = inspect.signature(cls).parameters
        except (ValueError, TypeError):
            return config
        if any(p.kind == p.VAR_KEYWORD for p in accepted.values()):
            return config
        for key, default in (("dtype", None), ("axis", -1)):
            if key in config and key not in accepted and config[key] == default:
                config.pop(key)
        return config

    def _dtype(self, value):
        if isinstance(value, str) and value in ("float16", "float32", "float64"):
            self.dtype = self.dtype or value
        elif value not in (None, "mixed_float16") and not isinstance(value, str):
            raise self.fail(f"invalid dtype {value!r}")

    def _layer(self, name, config):
        self._dtype(config.pop("dtype", None))
        if name == "InputLayer":
            shape = config.pop("batch_shape", None) or config.pop("batch_input_shape", None)
            if not isinstance(shape, list) or not shape:
                raise self.fail(f"InputLayer {config.get('name')!r} has no valid batch_shape")
            return {"name": config.get("name"), "shape": shape[1:]}
        return self._drop_unused(name, config)

    def _model(self, name, config, depth):
        self._dtype(self.read(config.get("dtype"), "layer", depth + 1))
        layers = config.get("layers")
        if not isinstance(layers, list):
            raise self.fail(f"the {name} config has no layer list")
        if name == "Sequential":
            return {"class_name": "Sequential", "config": self._sequential(config, layers, depth)}
        out = {"name": config.get("name"), "trainable": bool(config.get("trainable", True)),
               "layers": [self._graph_layer(spec, depth) for spec in layers],
               "input_layers": self._refs(config.get("input_layers")),
               "output_layers": self._refs(config.get("output_layers"))}
        return {"class_name": "Model", "config": out}

    def _sequential(self, config, layers, depth):
        layers = [self.read(spec, "layer", depth + 1) for spec in layers]
        if len(layers) > 1 and layers[0].get("class_name") == "InputLayer":
            # Keras writes Dense(input_shape=...) as an InputLayer before it: neuronet's spelling of the same
            # (a nested model first takes the shape from build_input_shape)
            if layers[1].get("class_name") not in MODEL_CLASSES:
                first = dict(layers[1]["config"])
                first.setdefault("input_shape", layers[0]["config"]["shape"])
                layers = [{"class_name": layers[1]["class_name"], "config": first}, *layers[2:]]
            else:
                config = {**config, "build_input_shape": config.get("build_input_shape") or
                          [None, *layers[0]["config"]["shape"]]}
                layers = layers[1:]
        out = {"name": config.get("name"), "layers": layers}
        shape = config.get("build_input_shape")
        if isinstance(shape, list) and shape and shape[0] is None and all(isinstance(d, int) for d in shape[1:]):
            out["input_shape"] = shape[1:]
        return out

    def _graph_layer(self, spec, depth):
        if not isinstance(spec, dict):
            raise self.fail("a model layer entry is not an object")
        layer = self.read(spec, "layer", depth + 1)
        nodes = spec.get("inbound_nodes") or []
        if not isinstance(nodes, list):
            raise self.fail(f"layer {spec.get('name')!r} has invalid inbound_nodes")
        name = spec.get("name", layer["config"].get("name"))
        return {**layer, "name": name, "inbound_nodes": [self._node(n, depth) for n in nodes]}

    def _node(self, node, depth):
        """One call of a layer as Keras 2's list of [layer, node index, tensor index, {}]."""
        if isinstance(node, list):
            return [self._ref(ref)[:3] + [{}] for ref in node]
        if not isinstance(node, dict) or node.get("kwargs") not in (None, {}):
            raise self.fail(f"a layer call with arguments neuronet does not support: {node!r:.200}")
        found = []

        def tensors(obj, level):
            if level > MAX_DEPTH:
                raise self.fail("a layer call nested too deeply")
            if isinstance(obj, list):
                for item in obj:
                    tensors(item, level + 1)
            elif isinstance(obj, dict) and obj.get("class_name") == "__keras_tensor__":
                found.append(self._ref((obj.get("config") or {}).get("keras_history"))[:3] + [{}])
            elif isinstance(obj, dict) and obj.get("class_name") == "__tuple__":
                tensors(obj.get("items"), level + 1)
            else:
                raise self.fail(f"a layer call with an argument neuronet does not support: {obj!r:.200}")
        tensors(node.get("args", []), depth)
        return found

    def _ref(self, ref):
        if not (isinstance(ref, list) and len(ref) >= 3 and isinstance(ref[0], str)
                and all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < 10**6 for i in ref[1:3])):
            raise self.fail(f"invalid tensor reference {ref!r:.200}")
        return list(ref[:3])

    def _refs(self, refs):
        if isinstance(refs, list) and refs and isinstance(refs[0], str):
            refs = [refs]                      # Keras 3 writes a single input or output unwrapped
        if not isinstance(refs, list) or not refs:
            raise self.fail("a functional model config without input_layers/output_layers")
        return [self._ref(r) for r in refs]

    def compile(self, spec):
        """Keras' compile_config (or a Keras 2 training_config) in neuronet's form; None if absent. A model
        with several outputs (a list or dict of losses) keeps them per output, with its loss_weights."""
        if not isinstance(spec, dict):
            return None
        optimizer = spec.get("optimizer", spec.get("optimizer_config"))
        if optimizer is None:
            return None
        loss, metrics = spec.get("loss"), spec.get("metrics") or []
        several = isinstance(loss, list) or (isinstance(loss, dict) and "class_name" not in loss)
        if not several and (isinstance(metrics, dict) or (metrics and isinstance(metrics[0], list))):
            metrics = [m for group in (metrics.values() if isinstance(metrics, dict) else metrics)
                       for m in (group or [])]     # Keras 2 wrote one output's metrics as [["mae"]]
        out = {"optimizer": self.read(optimizer, "optimizer"), "loss": self._per_output(loss, "loss", 0),
               "metrics": self._per_output(metrics, "metric", 0)}
        if several:
            out["loss_weights"] = self._per_output(spec.get("loss_weights"), "loss_weights", 0)
        return out

    def _per_output(self, value, family, depth):
        if depth > MAX_DEPTH:
            raise self.fail("compile arguments nested too deeply")
        if isinstance(value, str):
            return canonical_name(value) if family == "loss" else value
        if isinstance(value, list):
            return [self._per_output(v, family, depth + 1) for v in value]
        if isinstance(value, dict) and "class_name" not in value:
            return {str(k): self._per_output(v, family, depth + 1) for k, v in value.items()}
        if family == "loss_weights":
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise self.fail(f"invalid loss weight {value!r}")
            return value
        return self.read(value, family) if value is not None else None

def from_keras(spec, family="model", path="<config>", custom_objects=None):
    """A Keras-schema config (Keras 3 or Keras 2) in neuronet's ``{"class_name", "config"}`` form."""
    return Reader(path, custom_objects).read(spec, family)


__all__ = ["Reader", "from_keras"]
