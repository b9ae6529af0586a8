"""Starting the local worker processes of a data-parallel run: forked from a clean server, not imported anew.

Each worker is a child of multiprocessing's fork server: a fresh interpreter (not a fork of this
process, whatever it holds — pytest, Jupyter, threads) that has imported torch and the data-parallel
worker's modules but run nothing, started once per process on first use. A worker then costs a fork instead of an
import of torch (about two seconds), so a program that trains on workers many times, the spec
among them, starts them at once. The server and its workers ignore Ctrl-C (the server is spawned
with SIGINT ignored): this process gets it, ends the workers and says so, once.
A worker's stdout goes nowhere and its stderr to a file, read back if it fails.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing import forkserver, resource_tracker
from multiprocessing.process import BaseProcess
from pathlib import Path

_SERVER = multiprocessing.get_context("forkserver")
_SERVER.set_forkserver_preload(  # what the workers need, imported once in the server, not once per worker:
    ["torch", "torch._dynamo", "linreg.scale.local", "linreg.cells.optim", "linreg.cells.linear", "linreg.cells.module"]
    + ["linreg.scale.stats"]  # torch._dynamo: optim.SGD's constructor imports it, about a second of CPU each
)


@dataclass(frozen=True)
class Worker:
    """A started worker process and the file its stderr goes to."""

    process: BaseProcess
    stderr: Path


def _child(target: Callable[..., None], args: tuple[object, ...], stderr: str) -> None:
    """In the worker: stdout to /dev/null, stderr to its file, then ``target(*args)``."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
    except OSError:  # the run's folder is gone: it ended before this worker began
        os._exit(1)
    target(*args)


def _server_running() -> None:
    """Start the fork server if it is not running, with SIGINT ignored for it (and so for its workers).

    An ignored signal stays ignored across the server's exec, where a blocked one does not. Only
    the main thread may change it; a run started from another thread leaves it as it is (there,
    Ctrl-C reaches the main thread, not the run)."""
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()  # spawns it and returns; it imports torch meanwhile
    finally:
        signal.signal(signal.SIGINT, previous)


def start(target: Callable[..., None], args: tuple[object, ...], stderr: Path, into: list[Worker]) -> None:
    """Start a worker running ``target(*args)`` (a module-level function), its stderr written to ``stderr``.

    It is put in ``into`` before it starts, so that a Ctrl-C while it starts leaves it known to the caller.
    """
    _server_running()
    worker = Worker(_SERVER.Process(target=_child, args=(target, args, str(stderr)), daemon=False), stderr)
    into.append(worker)
    with _no_main():
        worker.process.start()


@contextlib.contextmanager
def _no_main() -> Iterator[None]:
    """The host program's ``__main__`` hidden from multiprocessing while a worker starts.

    A worker runs a function of linreg's; multiprocessing would otherwise run the host's main
    script again in it (a script without an ``if __name__ == "__main__"`` guard would train again,
    and one read from stdin cannot be found)."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def finish(worker: Worker, timeout: float) -> tuple[int, str]:
    """Wait up to ``timeout`` seconds for ``worker`` (then kill it): its exit status and its stderr."""
    if worker.process.pid is not None:  # else its start failed: that failure is the caller's to report
        worker.process.join(timeout)
        if worker.process.is_alive():
            stop(worker)
    said = worker.stderr.read_text(errors="replace") if worker.stderr.exists() else ""
    code = worker.process.exitcode if worker.process.pid is not None else 1
    return (code if code is not None and code >= 0 else 128 - (code or 0)), said


def stop(worker: Worker) -> None:
    """End ``worker`` now and reap it (if it got as far as starting)."""
    if worker.process.pid is not None:
        worker.process.kill()
        worker.process.join()


def stop_server(started: list[Worker]) -> None:
    """End the fork server, where a run was interrupted, so that nothing of the run outlives it.

    With no worker forked yet it may still be importing torch, which it would finish first: it is
    killed. Otherwise it has reaped the stopped workers and ends as soon as its pipe from this
    process closes. Either way it is reaped here. (multiprocessing keeps it in private attributes.)
    """
    server = forkserver._forkserver
    pid = getattr(server, "_forkserver_pid", None)
    if pid is None:
        return
    if not any(worker.process.pid for worker in started):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server._stop()  # type: ignore[attr-defined]  # closes its pipe, waits for it; a later run starts a new one
    resource_tracker._resource_tracker._stop()  # type: ignore[attr-defined]  # the server's companion, started with it: likewise
