"""Device placement, checked on a machine without a GPU: a CPU stand-in for a CUDA device.

Inside ``emulated_cuda()``, ``torch.cuda.is_available()`` is true and a tensor made for "cuda"
(``device=``, ``.to``, ``.cuda``, a module's ``.to``) is made on the CPU as an ``OnDevice``: a
CPU tensor that says it is on cuda:0, whose results are ``OnDevice`` too. An operation that
mixes an ``OnDevice`` with an ordinary tensor of one or more dimensions, which a real GPU
refuses ("Expected all tensors to be on the same device"), is recorded, and so is reading a
number off an ordinary tensor. The arithmetic is the CPU's, so a run gives the same numbers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_flatten, tree_map

FAKE = torch.device("cuda", 0)
_PROPERTIES = torch._C.TensorBase.__dict__  # t.device and t.grad are getset descriptors of the C base class
_DEVICE = _PROPERTIES["device"].__get__  # a new method-wrapper each time: compare with ==
_GRAD = _PROPERTIES["grad"].__get__
_QUERIES = (torch._has_compatible_shallow_copy_type,)  # compare types, compute nothing: any devices may meet


class OnDevice(torch.Tensor):
    """A CPU tensor standing for one on the emulated GPU."""

    misplaced: list[str] | None = None  # what mixed devices, while ``emulated_cuda`` is on

    @classmethod
    def __torch_function__(
        cls,
        func: Callable[..., Any],
        types: tuple[type, ...],
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> Any:  # noqa: ANN401  (whatever func returns)
        kwargs = kwargs or {}
        if func == _DEVICE:  # reading t.device
            return FAKE
        if func == _GRAD:  # autograd's C++ engine makes ordinary tensors: a gradient lives where its tensor does
            grad = super().__torch_function__(func, types, args, kwargs)  # type: ignore[no-untyped-call]
            return None if grad is None else grad.as_subclass(cls)
        tensors = [t for t in tree_flatten((args, kwargs))[0] if isinstance(t, torch.Tensor)]
        if func in _QUERIES:
            return super().__torch_function__(func, types, args, kwargs)  # type: ignore[no-untyped-call]
        if cls.misplaced is not None and any(type(t) is not cls and t.dim() > 0 for t in tensors):
            shapes = ", ".join(f"{'cuda' if type(t) is cls else 'cpu'} {tuple(t.shape)}" for t in tensors)
            cls.misplaced.append(f"{getattr(func, '__name__', func)}({shapes})")
        return super().__torch_function__(func, types, args, kwargs)  # type: ignore[no-untyped-call]


def _is_cuda(device: object) -> bool:
    return (isinstance(device, str) and device.startswith("cuda")) or (
        isinstance(device, torch.device) and device.type == "cuda"
    )


class _Mode(TorchFunctionMode):
    """Makes tensors asked for on cuda as ``OnDevice``; records reads of numbers off the CPU."""

    def __init__(self, misplaced: list[str]) -> None:
        super().__init__()
        self.misplaced = misplaced

    def __torch_function__(
        self,
        func: Callable[..., Any],
        types: tuple[type, ...],
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> Any:  # noqa: ANN401  (whatever func returns)
        kwargs = dict(kwargs or {})
        to_device = _is_cuda(kwargs.get("device")) or func is torch.Tensor.cuda
        if _is_cuda(kwargs.get("device")):
            kwargs["device"] = "cpu"
        if func is torch.Tensor.to and any(_is_cuda(a) for a in args[1:]):
            args, to_device = tuple("cpu" if _is_cuda(a) else a for a in args), True
        if func is torch.Tensor.cuda:
            func, args, kwargs = torch.Tensor.cpu, args[:1], {}
        if func is torch.Tensor.item and type(args[0]) is not OnDevice:
            self.misplaced.append(f"item() of a cpu tensor of shape {tuple(args[0].shape)}")
        result = func(*args, **kwargs)
        if to_device:
            result = tree_map(
                lambda t: _on_device(t) if isinstance(t, torch.Tensor) and type(t) is not OnDevice else t, result
            )
        return result


def _on_device(t: object) -> object:
    """A tensor as an ``OnDevice``: a leaf stays a leaf (a parameter keeps its gradient), else in the graph."""
    if not isinstance(t, torch.Tensor) or type(t) is OnDevice:
        return t
    if t.is_leaf:
        return torch.Tensor._make_subclass(OnDevice, t.detach(), t.requires_grad)
    return t.as_subclass(OnDevice)


@contextlib.contextmanager
def emulated_cuda() -> Iterator[list[str]]:
    """A stand-in cuda:0 on the CPU; yields the list of misplaced operations, filled as they happen."""
    misplaced: list[str] = []
    OnDevice.misplaced = misplaced
    overwrite = torch.__future__.get_overwrite_module_params_on_conversion()
    torch.__future__.set_overwrite_module_params_on_conversion(True)  # module.to(): parameters become OnDevice
    try:
        with (
            mock.patch("torch.cuda.is_available", return_value=True),
            mock.patch("torch.cuda.device_count", return_value=1),
            _Mode(misplaced),
        ):
            yield misplaced
    finally:
        torch.__future__.set_overwrite_module_params_on_conversion(overwrite)
        OnDevice.misplaced = None
