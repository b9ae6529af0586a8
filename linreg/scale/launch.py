"""Starting the local worker processes of a data-parallel run: forked from a clean server, not imported anew.

Each worker is a child of multiprocessing's fork server: a fresh interpreter (not a fork of this
process, whatever it holds — pytest, Jupyter, threads) that has imported torch and the data-parallel
worker's modules but run nothing, started once per process on first use. A worker then costs a fork instead of an
import of torch (about two seconds), so a program that trains on workers many times, the spec
among them, starts them at once. The server and its workers never get Ctrl-C (the server is
spawned with SIGINT blocked): this process gets it, ends the workers and says so, once. While it
starts a process, a Ctrl-C or SIGTERM waits until the process is known (``interrupts.held``).
A worker's stdout goes nowhere and its stderr to a file, read back if it fails.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing import forkserver, resource_tracker
from multiprocessing.process import BaseProcess
from pathlib import Path

from linreg.scale import interrupts

_SERVER = multiprocessing.get_context("forkserver")
_WORKERS_IMPORT = ["torch", "linreg.scale.local"]  # what every worker needs; a run adds its stages' modules


@dataclass(frozen=True)
class Worker:
    """A started worker process and the file its stderr goes to."""

    process: BaseProcess
    stderr: Path


def _child(target: Callable[..., None], args: tuple[object, ...], stderr: str, server: int) -> None:
    """In the worker: killed with the server it was forked from (Linux), stdout to /dev/null, stderr to
    its file, then ``target(*args)``."""
    if sys.platform == "linux":  # prctl(PR_SET_PDEATHSIG, SIGKILL): no worker outlives an interrupted run
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)
        if os.getppid() != server:  # the server was killed before that: the run is over
            os._exit(1)
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
    except OSError:  # the run's folder is gone: it ended before this worker began
        os._exit(1)
    target(*args)


def server_running(imports: Sequence[str]) -> int:
    """Start the fork server if it is not running, with SIGINT blocked for it (and so for its workers);
    its process id.

    A blocked signal stays blocked across fork and exec, and Python never unblocks it: a Ctrl-C
    never reaches the server, even while it imports torch, nor the workers it forks. It is blocked
    here, in this thread, only while the server is spawned; a Ctrl-C or SIGTERM meanwhile waits
    until the server is spawned (``interrupts.held``). A server it starts imports ``imports`` too,
    once for all the workers it will fork."""
    _SERVER.set_forkserver_preload([*_WORKERS_IMPORT, *imports])  # read when the server is spawned
    with interrupts.held():
        resource_tracker.ensure_running()  # the server's companion, first: it unblocks SIGINT after its own spawn
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            forkserver.ensure_running()  # spawns it and returns; it imports torch meanwhile
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # one pending for this thread is recorded now
    pid: int = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]  # multiprocessing keeps it private
    return pid


def start(target: Callable[..., None], args: tuple[object, ...], stderr: Path, into: list[Worker], server: int) -> None:
    """Start a worker running ``target(*args)`` (a module-level function), its stderr written to ``stderr``,
    forked by the fork server ``server`` (``server_running``'s process id).

    It is put in ``into`` before it starts, so that a Ctrl-C while it starts leaves it known to the caller.
    """
    worker = Worker(_SERVER.Process(target=_child, args=(target, args, str(stderr), server), daemon=False), stderr)
    into.append(worker)
    with interrupts.held(), _no_main():  # forked, then its process id read back: never one without the other
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


def stop_server() -> None:
    """End the fork server, where a run was interrupted, so that nothing of the run outlives it.

    It is killed, not asked to leave: it may still be importing torch, and an interpreter that has
    imported torch takes about a second to exit. The workers it forked are gone by then: stopped by
    the caller or, one forked as the run was interrupted, killed with it (``_child``). It is reaped
    here. (multiprocessing keeps it in private attributes.)
    """
    server = forkserver._forkserver
    pid = getattr(server, "_forkserver_pid", None)
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    server._stop()  # type: ignore[attr-defined]  # reaps it and forgets it: a later run starts a new one
    resource_tracker._resource_tracker._stop()  # type: ignore[attr-defined]  # the server's companion, started with it: likewise
