"""Shared test helpers."""

from __future__ import annotations

import pytest
import torch
from torch.utils._pytree import tree_flatten


class _Fed(Exception):
    """Raised by the hook once the model has received its first input."""


def _devices_fed(model: torch.nn.Module, call) -> set[torch.device]:
    """Move ``model`` to the ``meta`` device, run ``call(model)`` up to the first forward of
    any of its modules, and return the devices of the tensors handed to that forward.

    Without a GPU this still catches a function that builds its tensors on the CPU instead
    of on the model's device: they would arrive as ``cpu``, not ``meta``.
    """
    model.to("meta")
    seen: list[torch.Tensor] = []

    def hook(module, args, kwargs):
        seen.extend(t for t in tree_flatten((args, kwargs))[0] if isinstance(t, torch.Tensor))
        raise _Fed

    handles = [m.register_forward_pre_hook(hook, with_kwargs=True) for m in model.modules()]
    try:
        with pytest.raises(_Fed):
            call(model)
    finally:
        for h in handles:
            h.remove()
    assert seen, "the model received no tensor"
    return {t.device for t in seen}


@pytest.fixture
def devices_fed():
    """``devices_fed(model, call)``: the devices of what ``call`` first feeds ``model`` (on ``meta``)."""
    return _devices_fed
