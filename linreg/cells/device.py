"""Where a torch stage's tensors live: the settings' device, checked when a stage first uses it.

Settings check the name (cpu, cuda, cuda:K) without torch; whether this machine has that GPU is
asked here, by the torch stages, so nothing else imports torch to find out.
"""

from __future__ import annotations

import torch

from linreg.errors import SettingsError


def torch_device(name: str) -> torch.device:
    """``name`` as a torch.device; ``SettingsError`` for a GPU this machine does not have."""
    if name == "cpu":
        return torch.device(name)
    if not torch.cuda.is_available():
        msg = f"device {name!r}: this machine has no CUDA GPU that torch can use; run with --device cpu"
        raise SettingsError(msg)
    index = int(name.partition(":")[2] or 0)
    if index >= torch.cuda.device_count():
        msg = f"device {name!r}: this machine has {torch.cuda.device_count()} GPU(s); use cuda:0"
        raise SettingsError(msg)
    return torch.device(name)
