"""Task executors: one ``submit(fn, arg) -> Future`` for inline, worker-process and Ray execution.

The driver code (sweeps, the job runner) is the same whichever executor runs the work; only where ``fn``
runs changes. ``fn`` and its argument must be picklable for the process and Ray executors.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from .._validate import to_choice
from ..cluster.ray_runtime import connect
from ..specs import ExecutionSpec, Executor, resolve_executor


@runtime_checkable
class TaskExecutor(Protocol):
    """Runs ``fn(arg)`` somewhere and returns a ``concurrent.futures.Future`` of its result."""

    name: str

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> cf.Future[Any]:
        """Start ``fn(arg)``; the future holds its result or exception."""
        ...

    def shutdown(self) -> None:
        """Release workers (running work is abandoned to its own failure handling)."""
        ...


class InlineExecutor:
    """Runs each task at once in the calling thread (parallelism 1, no process start-up cost)."""

    name = "inline"

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> cf.Future[Any]:
        """Run ``fn(arg)`` now and return a finished future."""
        future: cf.Future[Any] = cf.Future()
        try:
            future.set_result(fn(arg))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future, like a pool
            future.set_exception(exc)
        return future

    def shutdown(self) -> None:
        """Nothing to release."""


class ProcessExecutor:
    """Runs tasks in up to ``workers`` spawned processes of this machine.

    ``spawn``, not ``fork``: the driver may hold threads (heartbeats, Optuna's SQLite engine) and torch's
    OpenMP pool, which ``fork`` copies in a broken state.
    """

    name = "process"

    def __init__(self, workers: int) -> None:
        self._pool = cf.ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        )

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> cf.Future[Any]:
        """Queue ``fn(arg)`` on the pool."""
        return self._pool.submit(fn, arg)

    def shutdown(self) -> None:
        """Stop the pool; queued tasks are cancelled, running ones finish."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class RayExecutor:
    """Runs tasks as Ray tasks with the given resources, retried on worker or node death.

    Args:
        execution: the resources each task asks for and ``max_retries``: Ray re-runs a task whose worker
            process or node died up to that many times (system failures only; an exception raised by ``fn``
            is a result, not retried).
        address: the cluster (default ``RAY_ADDRESS``; none: a local Ray instance).

    """

    name = "ray"

    def __init__(self, execution: ExecutionSpec | None = None, *, address: str | None = None) -> None:
        self.ray = connect(address)
        self.execution = execution or ExecutionSpec(executor="ray")
        self._remote = self.ray.remote(_call)

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> cf.Future[Any]:
        """Submit ``fn(arg)`` as a Ray task; its ``ObjectRef`` becomes a future."""
        ref = self._remote.options(
            max_retries=self.execution.max_retries, retry_exceptions=False, **self.execution.ray_options()
        ).remote(fn, arg)
        return ref.future()

    def shutdown(self) -> None:
        """Leave the cluster connection open (other work in this driver may use it)."""


def _call(fn: Callable[[Any], Any], arg: Any) -> Any:
    return fn(arg)


def make_executor(
    kind: Executor | str, parallelism: int, execution: ExecutionSpec | None = None
) -> TaskExecutor:
    """Return the executor for ``kind``.

    Args:
        kind: ``local``: inline at parallelism 1, else worker processes; ``ray``: Ray tasks; ``auto``: Ray
            when ``RAY_ADDRESS`` is set (``specs.resolve_executor``).
        parallelism: tasks in flight at once (the caller keeps at most that many submitted).
        execution: per-task Ray resources and retries.

    Returns:
        The executor.

    """
    if resolve_executor(to_choice(kind, Executor, "executor")) is Executor.RAY:
        return RayExecutor(execution)
    if parallelism <= 1:
        return InlineExecutor()
    return ProcessExecutor(parallelism)
