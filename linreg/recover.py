"""Recover the start (w₀, b₀) of an nn cell from its printed log.

GD on MSE is affine in θ = (w, b):  θ_{k+1} = M·θ_k + c  with  M = I − η·H,  c = η·2·[mean(xy), mean(y)].
So every printed w and prediction is linear in θ₀ and every printed loss quadratic; a float64
Gauss–Newton fit of all printed numbers (each weighted by its printed precision) estimates θ₀.
Then the float32 starts near the estimate are screened by a vectorised float32 emulation of the
cell, and the survivors, nearest first, are replayed for real until one reproduces every line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from linreg import logfmt
from linreg.errors import LogFormatError, NotRecoveredError, SettingsError
from linreg.settings import Settings

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Printed:
    """A printed number: its value and how many decimals it was printed with."""

    value: float
    decimals: int

    @property
    def tolerance(self) -> float:
        return 0.5 * 10.0**-self.decimals


def _printed(text: str) -> Printed:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Printed(float(text), decimals)


@dataclass(frozen=True)
class ParsedLog:
    """The numbers of a log in the nn cells' format."""

    lines: list[str]
    before: Printed
    epochs: list[tuple[int, Printed, Printed]]  # (epoch, w after its update, loss before it)
    after: Printed


def parse_log(text: str, settings: Settings, name: str = "log") -> ParsedLog:
    """Check that ``text`` is what ``linreg run`` prints for ``settings`` (start aside) and read its numbers."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    s = settings
    expected_epochs = [e for e in range(1, s.epochs + 1) if (e - 1) % s.log_every == 0]
    want = 3 + len(expected_epochs)
    if len(lines) != want:
        msg = (
            f"{name} has {len(lines)} lines; a {s.stage} log of --epochs {s.epochs} --log-every "
            f"{s.log_every} has {want}: pass the options the log was made with"
        )
        raise LogFormatError(msg)
    shape = logfmt.shape_line(len(s.x), 1)
    if lines[0] != shape:
        msg = f"{name} line 1 is {lines[0]!r}, expected the shape line {shape!r} for {len(s.x)} data points"
        raise LogFormatError(msg)
    preds = []
    for number, when in ((2, "before"), (len(lines), "after")):
        parsed = logfmt.parse_prediction_line(lines[number - 1])
        if parsed is None or parsed[0] != when or parsed[1] != f"{s.test_x:g}":
            msg = (
                f"{name} line {number} is {lines[number - 1]!r}, expected "
                f"'Prediction {when} training: f({s.test_x:g})= …'"
            )
            raise LogFormatError(msg)
        preds.append(_printed(parsed[2]))
    epochs = []
    for number, (line, epoch) in enumerate(zip(lines[2:-1], expected_epochs, strict=True), start=3):
        entry = logfmt.parse_epoch_line(line)
        if entry is None or entry.epoch != epoch:
            msg = f"{name} line {number} is {line!r}, expected 'epoch {epoch}: w = …, loss = …'"
            raise LogFormatError(msg)
        epochs.append((epoch, _printed(entry.w), _printed(entry.loss)))
    return ParsedLog(lines, preds[0], epochs, preds[1])


def estimate(log: ParsedLog, settings: Settings) -> F64:
    """Float64 Gauss–Newton fit of θ₀ = (w₀, b₀) to every printed number."""
    x = np.asarray(settings.x, dtype=np.float64)
    y = np.asarray(settings.y, dtype=np.float64)
    eta, t = settings.lr, settings.test_x
    M = np.eye(2) - eta * 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    c = eta * 2 * np.array([np.mean(x * y), np.mean(y)])
    theta = np.zeros(2)
    for iteration in range(60):
        linear_only = iteration == 0  # first fit the numbers linear in θ₀: a start GN cannot miss
        rows: list[F64] = []
        res: list[float] = []
        th, J = theta.copy(), np.eye(2)  # θ_k and ∂θ_k/∂θ₀ = M^k
        states = [(th, J)]
        for _k in range(settings.epochs):
            th, J = M @ th + c, M @ J
            states.append((th, J))

        def add(value: float, grad: F64, p: Printed, rows: list[F64] = rows, res: list[float] = res) -> None:
            sigma = p.tolerance + 1e-6 * abs(p.value)  # printed precision + float32 drift
            res.append((value - p.value) / sigma)
            rows.append(grad / sigma)

        add(t * theta[0] + theta[1], np.array([t, 1.0]), log.before)
        for epoch, w, loss in log.epochs:
            (th0, J0), (th1, J1) = states[epoch - 1], states[epoch]
            r = x * th0[0] + th0[1] - y  # residuals before the epoch's update
            add(th1[0], J1[0], w)
            if not linear_only:
                add(float(np.mean(r * r)), np.array([2 * np.mean(r * x), 2 * np.mean(r)]) @ J0, loss)
        th_end, J_end = states[-1]
        add(t * th_end[0] + th_end[1], np.array([t, 1.0]) @ J_end, log.after)
        step = np.linalg.lstsq(np.array(rows), -np.array(res), rcond=None)[0]
        theta = theta + step
        if not linear_only and np.all(np.abs(step) <= 1e-12 * (1 + np.abs(theta))):
            break
    return theta


def _ordered(v: F32) -> npt.NDArray[np.int64]:
    """float32 → integers in the same order, consecutive for neighbouring floats."""
    bits = v.view(np.int32).astype(np.int64)
    return np.where(bits < 0, -(bits & 0x7FFFFFFF), bits)


def _from_ordered(o: npt.NDArray[np.int64]) -> F32:
    bits = np.where(o < 0, (-o) | 0x80000000, o).astype(np.uint32)
    return bits.view(np.float32)


def neighbours(value: float, radius: int, step: int = 1) -> F32:
    """Every ``step``-th of the float32 values nearest ``value``, ``radius`` steps either side, in order."""
    centre = _ordered(np.array([value], dtype=np.float32))[0]
    return _from_ordered(centre + step * np.arange(-radius, radius + 1, dtype=np.int64))


def _step(value: float, scale: float) -> int:
    """How many float32 values near ``value`` make one grid step: the fit's error scales with ``scale``."""
    return max(1, int(np.spacing(np.float32(abs(scale))) / 4 / np.spacing(np.float32(abs(value)))))


def emulate_matches(w0: F32, b0: F32, log: ParsedLog, settings: Settings) -> npt.NDArray[np.int64]:
    """How many printed numbers each start (w0[i], b0[i]) misses, emulating the cell in float32.

    The emulation follows torch's CPU kernels for nn.Linear + MSELoss + SGD on small data
    (sequential sums, the update fused): close enough to screen starts, not to replace a replay.
    """
    f32 = np.float32
    X = np.asarray(settings.x, dtype=f32)
    Y = np.asarray(settings.y, dtype=f32)
    n, t, neg_lr = len(X), f32(settings.test_x), -np.float64(f32(settings.lr))
    misses = np.zeros(w0.shape, dtype=np.int64)

    def check(v: F32, p: Printed) -> None:
        nonlocal misses
        misses += np.abs(v.astype(np.float64) - p.value) > p.tolerance * (1 + 1e-9)

    w, b = w0.copy(), b0.copy()
    check(t * w + b, log.before)
    logged = {epoch: (pw, pl) for epoch, pw, pl in log.epochs}
    for epoch in range(1, settings.epochs + 1):
        d = [Y[i] - (X[i] * w + b) for i in range(n)]  # target − prediction, (C,) each
        sq = d[0] * d[0]
        for i in range(1, n):
            sq = sq + d[i] * d[i]
        loss = sq / f32(n)
        g = [-(f32(2.0 / n) * di) for di in d]  # ∂L/∂ŷ_i
        gw, gb = g[0] * X[0], g[0]
        for i in range(1, n):
            gw, gb = gw + g[i] * X[i], gb + g[i]
        w = (w.astype(np.float64) + neg_lr * gw.astype(np.float64)).astype(f32)  # fused multiply-add
        b = (b.astype(np.float64) + neg_lr * gb.astype(np.float64)).astype(f32)
        if epoch in logged:
            check(w, logged[epoch][0])
            check(loss, logged[epoch][1])
    check(t * w + b, log.after)
    return misses


@dataclass(frozen=True)
class Recovery:
    """A start that replays the log exactly, and how it was found."""

    w: float
    b: float
    estimate: tuple[float, float]  # the float64 fit
    screened: int  # float32 starts emulated
    replays: int  # starts replayed for real


def _replay_lines(settings: Settings, w: float, b: float) -> list[str]:
    from linreg.stages import train

    return train(replace(settings, init=(w, b), seed=None)).lines()


def check_recoverable(settings: Settings) -> None:
    """``SettingsError`` unless ``settings.stage`` is one of the cells with a random start."""
    if not settings.info.has_bias:
        msg = f"recover works for stages linear and module (the cells with a random start), not {settings.stage}"
        raise SettingsError(msg)


def recover(text: str, settings: Settings, name: str = "log", max_replays: int = 64) -> Recovery:
    """A float32 start (w₀, b₀) whose replay with ``settings`` prints ``text`` exactly."""
    check_recoverable(settings)
    log = parse_log(text, settings, name)
    theta = estimate(log, settings)
    screened = replays = 0
    scale = float(np.abs(theta).max())
    for radius in (48, 400):
        grid_w, grid_b = np.meshgrid(
            neighbours(theta[0], radius, _step(theta[0], scale)),
            neighbours(theta[1], radius, _step(theta[1], scale)),
            indexing="ij",
        )
        W, B = grid_w.ravel(), grid_b.ravel()  # (C,) candidate starts
        misses = emulate_matches(W, B, log, settings)
        screened += W.size
        distance = (W - theta[0]) ** 2 + (B - theta[1]) ** 2
        order = np.lexsort((distance, misses))
        for i in order[:max_replays][misses[order[:max_replays]] == 0]:
            replays += 1
            if _replay_lines(settings, float(W[i]), float(B[i])) == log.lines:
                return Recovery(float(W[i]), float(B[i]), (float(theta[0]), float(theta[1])), screened, replays)
    # nothing replays exactly: report the lines the closest emulated start gets wrong
    best = order[0]
    got = _replay_lines(settings, float(W[best]), float(B[best]))
    unmatched = [
        f"line {k} {e!r} (closest replay: {a!r})"
        for k, (a, e) in enumerate(zip(got, log.lines, strict=True), 1)
        if a != e
    ]
    msg = (
        f"no float32 start replays {name} exactly (fit w={theta[0]:.8g}, b={theta[1]:.8g}; "
        f"{screened} starts screened, {replays} replayed); unmatched: {'; '.join(unmatched)}"
    )
    raise NotRecoveredError(msg)
