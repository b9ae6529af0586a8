"""Running with a given number of torch threads, and the global state a run must leave as it found.

A run's history does not depend on the thread count: the notes' tensors are far too small for
torch to split its sums across threads. ``global_state()`` is what the specification checks that
every scenario leaves unchanged.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np


@contextmanager
def torch_threads(count: int) -> Iterator[None]:
    """Run the body with ``torch.set_num_threads(count)``, then restore the previous count."""
    import torch

    if count < 1:
        msg = f"thread count {count} is not allowed: use 1 or more"
        raise ValueError(msg)
    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def global_state() -> dict[str, Any]:
    """Torch's and numpy's RNG states, torch's default dtype, grad mode and thread count."""
    import torch

    return {
        "torch_rng": torch.get_rng_state().tolist(),
        "numpy_rng": pickle.dumps(np.random.get_state()),
        "default_dtype": torch.get_default_dtype(),
        "grad_enabled": torch.is_grad_enabled(),
        "threads": torch.get_num_threads(),
    }
