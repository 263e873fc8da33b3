"""One training step as tables: see neuronet.models.explain (kept at this path for existing code)."""
from neuronet.models.explain import StepExplanation, explain_step  # noqa: F401
