"""Cell 1: backpropagation through one scalar example, with the chain rule made explicit.

Forward:  ŷ = x·w,  loss = (ŷ − y)²
Backward: dloss/dw = dloss/dŷ · dŷ/dw = 2(ŷ − y) · x
With the notes' x = 1, y = 2, w = 1: loss = 1 and dloss/dw = −2 · 1 = −2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linreg.settings import Settings


@dataclass(frozen=True)
class BackpropResult:
    """The cell's numbers, and its two printed lines exactly as torch prints them."""

    loss: float
    grad: float  # dloss/dw, from loss.backward()
    dloss_dyhat: float  # the outer factor of the chain rule, from autograd
    dyhat_dw: float  # the inner factor, from autograd
    w_after_step: float  # w − lr·dloss/dw: the "update weights" step the cell leaves as a comment
    printed: tuple[str, str]  # print(loss), print(w.grad)

    def lines(self) -> list[str]:
        """The cell's output."""
        return list(self.printed)


def run(settings: Settings) -> BackpropResult:
    """Replay cell 1 with the data's one x and y and ``settings.init`` as x, y and w."""
    import torch

    x = torch.tensor(float(settings.data.x[0]))  # float32 scalar, as torch.tensor(1.0)
    y = torch.tensor(float(settings.data.y[0]))
    w = torch.tensor(settings.init[0], requires_grad=True)

    # forward pass
    y_hat = x * w
    loss = (y_hat - y) ** 2
    printed_loss = str(loss)

    # local gradients, each from autograd: dloss/dŷ and dŷ/dw
    (dloss_dyhat,) = torch.autograd.grad(loss, y_hat, retain_graph=True)
    (dyhat_dw,) = torch.autograd.grad(y_hat, w, retain_graph=True)

    # backward pass: the chain rule multiplies them into dloss/dw
    loss.backward()  # type: ignore[no-untyped-call]
    assert w.grad is not None  # loss.backward() has just filled it
    grad = w.grad

    # update weights: the cell stops at the comment; one SGD step shows where w goes next
    with torch.no_grad():
        w_next = w - settings.lr * grad
    return BackpropResult(
        loss.item(), grad.item(), dloss_dyhat.item(), dyhat_dw.item(), w_next.item(), (printed_loss, str(grad))
    )
