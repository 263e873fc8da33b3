"""Graph: the layer calls between a functional model's inputs and outputs, in an order that runs each call
after the calls producing its inputs (topological order), with forward, backward and its config.

    forward:   for each call in order:  value[output] = layer(value[inputs])        (recorded on a tape)
    backward:  the tape in reverse:     dL/d(inputs) = layer.backward(dL/d(output)), summed where a value
                                        feeds several calls
"""
from __future__ import annotations

import copy

from neuronet.layers import InputLayer
from neuronet.layers.symbolic import KerasTensor
from neuronet.models.multi_array import MultiArray, as_list


def _as_list(x, what):
    many = isinstance(x, (list, tuple))
    items = list(x) if many else [x]
    if isinstance(x, dict):
        items = list(x.values())
    bad = [t for t in items if not isinstance(t, KerasTensor)]
    if bad or not items:
        raise TypeError(f"`{what}` must be the symbolic tensors returned by Input(...) and by calling layers "
                        f"on them (one, or a list). Received: {what}={x!r}")
    return items, many


class Graph:
    def __init__(self, inputs, outputs):
        self.inputs, self._many_inputs = _as_list(inputs, "inputs")
        self.outputs, self._many_outputs = _as_list(outputs, "outputs")
        for t in self.inputs:
            if t.node is None or not isinstance(t.node.layer, InputLayer):
                raise ValueError(f"Every model input must come from Input(...); {t!r} is the output of layer "
                                 f"{t.node.layer.name!r}." if t.node else f"{t!r} comes from no layer.")
        self.nodes = self._order()
        # forward's plan, worked out once: (layer, input keys, output key, whether it takes a list)
        self._plan = [(n.layer, [t.id for t in n.inputs], n.outputs[0].id,
                       isinstance(n.layer.input_sample_shape, list)) for n in self.nodes if n.inputs]
        # a single chain of distinct layers (one input, one output, each call fed by the previous one) runs
        # as a Sequential does, without a tape: the common case keeps Sequential's speed
        chain = [p for p in self._plan if not p[3]]
        keys = [self.inputs[0].id] + [p[2] for p in chain[:-1]]
        is_chain = not self._many_inputs and not self._many_outputs and len(chain) == len(self._plan) and \
            [p[1] for p in chain] == [[k] for k in keys] and len({id(p[0]) for p in chain}) == len(chain)
        self._chain = [p[0] for p in chain] if is_chain and chain else None
        self._reversed_chain = self._chain[::-1] if self._chain else None
        self.layers = list(dict.fromkeys(n.layer for n in self.nodes if not isinstance(n.layer, InputLayer)))
        given = {t.id for t in self.inputs}
        for node in self.nodes:                # a layer fed by the inputs only needs no dL/d(input)
            used = sum(n.layer is node.layer for n in self.nodes)
            if used == 1 and node.inputs and all(t.id in given for t in node.inputs) and \
                    not isinstance(node.layer.input_sample_shape, list):
                node.layer.needs_input_grad = False

    def call_copy(self):
        """This graph over call copies of its layers (the same weights, their own caches): a nested model
        called a second time in one forward pass runs on it."""
        twin = copy.copy(self)
        twin._run_on_call_copies()
        return twin

    def _run_on_call_copies(self):
        from neuronet.layers.tape import call_copy
        copies = {id(layer): call_copy(layer) for layer in self.layers}
        self._plan = [(copies[id(l)], keys, out, many) for l, keys, out, many in self._plan]
        if self._chain is not None:
            self._chain = [copies[id(l)] for l in self._chain]
            self._reversed_chain = self._chain[::-1]

    def _order(self):
        """The calls from the inputs to the outputs, each after those producing its inputs; refuses an
        output that depends on an Input not given, and a cycle."""
        given = {t.id for t in self.inputs}
        order, state = [], {}

        def visit(tensor, path):
            node = tensor.node
            if node is None:
                raise ValueError(f"{tensor!r} was not produced by a layer: build outputs by calling layers "
                                 "on Input(...) tensors.")
            if isinstance(node.layer, InputLayer) and tensor.id not in given:
                raise ValueError(f"The outputs are not connected to the inputs given: they depend on "
                                 f"Input {node.layer.name!r} {tensor.shape}, which is not in `inputs` "
                                 f"(inputs: {[t.node.layer.name for t in self.inputs]}). Add it to `inputs`.")
            mark = state.get(id(node))
            if mark == "done":
                return
            if mark == "visiting":
                raise ValueError(f"The graph has a cycle through layer {node.layer.name!r}; a model must be a "
                                 "directed acyclic graph of layer calls.")
            state[id(node)] = "visiting"
            for t in node.inputs:
                visit(t, path)
            state[id(node)] = "done"
            order.append(node)
        for t in self.outputs:
            visit(t, ())
        used = {t.id for n in order for t in n.outputs}
        unused = [t.node.layer.name for t in self.inputs if t.id not in used]
        if unused:
            raise ValueError(f"Inputs {unused} are not connected to the outputs; remove them from `inputs`.")
        return order

    @property
    def input_shapes(self):
        shapes = [t.shape[1:] for t in self.inputs]
        return shapes if self._many_inputs else shapes[0]

    @property
    def output_shapes(self):
        shapes = [t.shape[1:] for t in self.outputs]
        return shapes if self._many_outputs else shapes[0]

    @property
    def output_layer(self):
        return None if self._many_outputs else self.outputs[0].node.layer

    def _start(self, x):
        values = as_list(x) if isinstance(x, MultiArray) else (x if isinstance(x, (list, tuple)) else [x])
        if len(values) != len(self.inputs):
            raise ValueError(f"The model has {len(self.inputs)} inputs; received {len(values)} arrays.")
        return {t.id: v for t, v in zip(self.inputs, values)}

    def _finish(self, values):
        outs = [values[t.id] for t in self.outputs]
        return outs if self._many_outputs else outs[0]

    def forward(self, x, tape, training=False):
        if self._chain is not None and not isinstance(x, (list, MultiArray)):
            for layer in self._chain:
                x = layer.forward(x, training)
            return x
        values = self._start(x)
        for layer, keys, out, many in self._plan:
            values[out] = tape.run(layer, [values[k] for k in keys] if many else values[keys[0]], keys, out,
                                   training)
        return self._finish(values)

    def infer(self, x):
        values = self._start(x)
        for layer, keys, out, many in self._plan:
            values[out] = layer.infer([values[k] for k in keys] if many else values[keys[0]])
        return self._finish(values)

    def backward(self, tape, grad, from_logits=False):
        if self._chain is not None and not tape.records:
            layers = self._reversed_chain
            if from_logits:
                grad, layers = layers[0].backward_from_logits(grad), layers[1:]
            for layer in layers:
                grad = layer.backward(grad)
            return grad
        grads = dict(zip((t.id for t in self.outputs), grad if self._many_outputs else [grad]))
        grads = tape.backward(grads, from_logits_key=self.outputs[0].id if from_logits else None)
        dx = [grads.get(t.id) for t in self.inputs]
        return dx if self._many_inputs else dx[0]

    # ---- config: Keras' functional schema (layers with inbound_nodes, input_layers, output_layers) -------
    def _node_index(self, node):
        return [n for n in self.nodes if n.layer is node.layer].index(node)

    def _ref(self, tensor):
        return [tensor.node.layer.name, self._node_index(tensor.node), 0]

    def get_config(self):
        from neuronet.layers import serialize
        layers = []
        for layer in dict.fromkeys(n.layer for n in self.nodes):
            calls = [n for n in self.nodes if n.layer is layer and n.inputs]
            layers.append({**serialize(layer), "name": layer.name,
                           "inbound_nodes": [[[*self._ref(t), {}] for t in n.inputs] for n in calls]})
        return {"layers": layers, "input_layers": [self._ref(t) for t in self.inputs],
                "output_layers": [self._ref(t) for t in self.outputs]}

    @staticmethod
    def from_config(config):
        """(inputs, outputs) rebuilt from get_config's dict: every layer by its registered name, every call
        replayed on symbolic tensors."""
        from neuronet.layers import deserialize
        created, produced, pending = {}, {}, []
        for spec in config["layers"]:
            layer = deserialize({"class_name": spec["class_name"], "config": spec["config"]})
            if layer.name in created:
                raise ValueError(f"Two layers of the model config are named {layer.name!r}.")
            created[layer.name] = layer
            if isinstance(layer, InputLayer):
                produced[(layer.name, 0)] = layer.output
            pending += [(layer, call) for call in spec.get("inbound_nodes") or []]
        while pending:
            ready = [(l, c) for l, c in pending if all((ref[0], ref[1]) in produced for ref in c)]
            if not ready:
                missing = sorted({ref[0] for _, c in pending for ref in c if (ref[0], ref[1]) not in produced})
                raise ValueError(f"The model config's calls cannot be replayed: no layer produces {missing}.")
            for layer, call in ready:
                args = [produced[(ref[0], ref[1])] for ref in call]
                out = layer(args if isinstance(layer.input_sample_shape, list) or len(args) > 1 else args[0])
                index = sum(1 for key in produced if key[0] == layer.name)
                produced[(layer.name, index)] = out
                pending.remove((layer, call))

        def refs(key):
            return [produced[(ref[0], ref[1])] for ref in config[key]]
        inputs, outputs = refs("input_layers"), refs("output_layers")
        return (inputs if len(inputs) > 1 else inputs[0]), (outputs if len(outputs) > 1 else outputs[0])
