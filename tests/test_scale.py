"""Machinery behind data at scale: the bounded trace, the streamed log, the device recorder, the data's arrays."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from linreg import DivergedError, Settings, SettingsError, train
from linreg.cells.recorder import Recorder
from linreg.data import Data
from linreg.trace import FIELDS, Trace
from linreg.watch import watching


def test_a_short_run_is_kept_epoch_by_epoch() -> None:
    history = train(Settings.for_stage("numpy", epochs=Trace.SIZE - 1, lr=1e-3))
    assert history.trace.is_exact
    assert [r.epoch for r in history.epochs] == list(range(1, Trace.SIZE))


@pytest.mark.parametrize("epochs", [Trace.SIZE, 3 * Trace.SIZE + 17, 40_000])
def test_a_long_trace_is_bounded_and_keeps_every_extreme(epochs: int) -> None:
    rng = np.random.default_rng(epochs)
    values = rng.normal(size=(epochs, 3))  # w, loss, b per epoch
    trace = Trace()
    for epoch, (w, loss, b) in enumerate(values.tolist(), start=1):
        trace.add(epoch, w, loss, b)
    table = trace.table()
    assert not trace.is_exact
    assert len(table) <= Trace.SIZE
    first, last = table[:, FIELDS.index("first")].astype(int), table[:, FIELDS.index("last")].astype(int)
    assert first[0] == 1
    assert last[-1] == epochs
    assert (first[1:] == last[:-1] + 1).all()  # the stretches tile the epochs, in order
    for column, name in enumerate(("w", "loss", "b")):
        for row, (a, z) in enumerate(zip(first, last, strict=True)):
            stretch = values[a - 1 : z, column]
            got = table[row, [FIELDS.index(f"{name}_min"), FIELDS.index(f"{name}_max"), FIELDS.index(name)]]
            assert got.tolist() == [stretch.min(), stretch.max(), stretch[-1]]


def test_echo_streams_the_log_and_keeps_none_of_it() -> None:
    lines: list[str] = []
    settings = Settings.for_stage("numpy", epochs=20_000, log_every=2, lr=1e-3)  # over 2·Trace.SIZE: stretches merge
    with watching(echo=lines.append):
        history = train(settings)
    assert history.logged == []
    assert len(history.trace.table()) <= Trace.SIZE
    assert lines[0] == "Prediction before training: f(5)= 0.000"
    assert len(lines) == 2 + 10_000
    quiet = train(settings)
    assert lines == quiet.lines()


def test_the_recorder_reports_divergence_at_its_epoch_though_it_reads_in_bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Recorder, "BATCH", 64)
    settings = Settings.for_stage("autograd", lr=0.5, epochs=400, log_every=1000)
    with pytest.raises(DivergedError) as caught:
        train(settings)
    numpy_run = Settings.for_stage("numpy", lr=0.5, epochs=400, log_every=1000, gradient="mse")
    with pytest.raises(DivergedError) as reference:
        train(numpy_run)
    last = caught.value.history.last  # the epoch before the one that diverged, though 64 were read at once
    assert last is not None
    assert str(caught.value).startswith(f"training diverged at epoch {last.epoch + 1} (")
    assert str(caught.value).split(" (")[0] == str(reference.value).split(" (")[0]


def test_a_npy_file_is_read_straight_into_the_stage_dtype(tmp_path: Path) -> None:
    points = np.random.default_rng(0).normal(size=(100_003, 2))
    np.save(tmp_path / "p.npy", points)
    x, y = Data.file(tmp_path / "p.npy").arrays(np.float32)
    assert x.dtype == y.dtype == np.float32
    assert np.array_equal(x, points[:, 0].astype(np.float32))
    assert np.array_equal(y, points[:, 1].astype(np.float32))


@pytest.mark.parametrize("values", [{1.0, 2.0}, {1.0: 2.0, 3.0: 4.0}, "1,2", np.ones((2, 2))])
def test_points_must_come_in_order(values: object) -> None:
    with pytest.raises(SettingsError, match="x must be a"):
        Data.of(values, [1.0, 2.0])


def test_the_data_cannot_be_changed_behind_the_settings_back() -> None:
    x = np.array([1.0, 2.0, 3.0])
    settings = Settings.for_stage("numpy", x=x, y=[2.0, 4.0, 6.0])
    x[0] = 100.0
    assert settings.data.x.tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="read-only"):
        settings.data.x[0] = 5.0


def test_a_ctrl_c_while_the_fork_server_starts_is_not_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGINT is blocked while the server is spawned (so that it and its workers never get it); a
    Ctrl-C in that moment, whichever thread takes it, still interrupts the run as soon as it is over."""
    import os
    import select
    import socket
    from multiprocessing import forkserver

    from linreg.scale import launch

    woken, wake = socket.socketpair()  # a byte here once some thread has taken the signal
    wake.setblocking(False)

    def pressed(kill: Callable[[int, int], None], to: int) -> None:
        kill(to, signal.SIGINT)
        for _ in range(500):  # until a thread has taken it, or it waits for this one (at most 5 s)
            if signal.SIGINT in signal.sigpending() or select.select([woken], [], [], 0.01)[0]:
                return

    started_as = signal.signal(signal.SIGINT, signal.default_int_handler)  # pytest may start with it ignored
    wakeup = signal.set_wakeup_fd(wake.fileno(), warn_on_full_buffer=False)
    try:
        for kill, to in ((os.kill, os.getpid()), (signal.pthread_kill, threading.main_thread().ident)):
            assert to is not None
            monkeypatch.setattr(forkserver, "ensure_running", lambda kill=kill, to=to: pressed(kill, to))
            with pytest.raises(KeyboardInterrupt):
                launch.server_running(())
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
            assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    finally:
        signal.set_wakeup_fd(wakeup)
        signal.signal(signal.SIGINT, started_as)
        woken.close()
        wake.close()


def test_the_fork_server_never_gets_ctrl_c() -> None:
    """The server inherits SIGINT blocked, and keeps it so while it imports and forks."""
    from linreg.scale import launch

    pid = launch.server_running(())
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    blocked = int(next(line for line in status if line.startswith("SigBlk:")).split()[1], 16)
    assert blocked & (1 << (signal.SIGINT - 1)), status


# A run in its own process session: SIGTERM reaches it while it starts worker WORKER, after the fork
# server forked that worker and before the worker's process id came back. Then whatever of the
# session is still there once the run has raised Terminated: the worker must be known, ended, reaped.
# The script is its descendants' subreaper (prctl 36), so an orphan stays its zombie whatever init does.
_SIGTERM_WHILE_A_WORKER_STARTS = """
import ctypes, os, select, signal, subprocess
from multiprocessing import forkserver
ctypes.CDLL(None).prctl(36, 1)
from linreg import Settings
from linreg.errors import Terminated
from linreg.scale import local

read_signed, calls = forkserver.read_signed, []

def signalled_first(fd):
    calls.append(fd)
    if len(calls) == WORKER + 1:  # that worker's process id, once it can be read: the worker was forked
        select.select([fd], [], [])
        os.kill(os.getpid(), signal.SIGTERM)
    return read_signed(fd)

forkserver.read_signed = signalled_first
try:
    local.run(Settings.for_stage("autograd", epochs=100_000_000, log_every=100_000_000), 2)
except Terminated:
    session = subprocess.run(["pgrep", "-s", "0"], capture_output=True, text=True).stdout.split()
    print(" ".join(p for p in session if int(p) != os.getpid()) or "none")
"""


@pytest.mark.parametrize("worker", [0, 1])
def test_sigterm_while_a_worker_starts_leaves_no_process(run_temp: Path, worker: int) -> None:
    """The moment between a worker's fork and its process id coming back: a signal then must not leave
    the worker to be killed with the fork server, unknown and unreaped (an orphan, reaped by init if ever)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TMPDIR": str(run_temp)}  # a short path for the run's sockets
    script = _SIGTERM_WHILE_A_WORKER_STARTS.replace("WORKER", str(worker))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, start_new_session=True, timeout=120, check=False)  # fmt: skip
    assert (done.stdout.strip(), done.returncode) == ("none", 0), done.stdout + done.stderr[-2000:]
