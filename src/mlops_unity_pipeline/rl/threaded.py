"""``threaded: true``: the policy update runs in a worker thread while the environment keeps stepping.

ML-Agents Release 22 (``trainers/trainer_controller.py``, ``trainer/rl_trainer.py``) runs each trainer's
``advance`` in its own thread when ``threaded`` is set, so updates overlap environment steps and the agents
act with whatever weights the policy has at that moment (racy by design: upstream's docs warn that threaded
training may not be deterministic). Here the overlap is the same but the hand-over is at fixed points:

- When an update is due, the trainer first waits for the previous update (if one still runs), processes the
  new trajectories with the networks it produced, copies the learner's weights and normalizer into its
  *acting copy* and starts the next update in the worker; the agents act with the acting copy meanwhile.
- So the policy that collects a buffer lags one update behind the learner (upstream's threaded policy lags by
  however long the update takes); PPO's ratio to the stored log-probabilities and its clipping account for
  it as they do upstream.
- The worker's statistics are kept aside and recorded when it is joined; an exception in the worker (a
  divergence) is raised in the caller at the join; ``state_dict`` (checkpoints, the final model) joins first,
  so a saved checkpoint is never half an update.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import torch

Records = list[tuple[str, float]]
"""Statistics recorded by the worker, replayed into the trainer at the join."""


class DeferredRecords(threading.local):
    """Per-thread switch of ``Trainer.record``: inside the worker, records are kept aside."""

    def __init__(self) -> None:
        self.pending: Records | None = None


class BackgroundUpdate:
    """At most one update at a time in a daemon worker thread.

    Args:
        deferred: the trainer's ``DeferredRecords`` (its ``record`` appends there inside the worker).
        record: the trainer's ``record``, called at the join with the worker's statistics.

    """

    def __init__(self, deferred: DeferredRecords, record: Callable[[str, float], None]) -> None:
        self._deferred = deferred
        self._record = record
        self._thread: threading.Thread | None = None
        self._records: Records = []
        self._error: BaseException | None = None
        self.started = 0
        """Updates started so far (tests and logs)."""

    @property
    def running(self) -> bool:
        """Tell whether an update was started and not joined yet."""
        return self._thread is not None

    def start(self, work: Callable[[], Any]) -> None:
        """Run ``work`` in the worker (joining the previous update first).

        Args:
            work: the update; whatever it records goes to the trainer at the join.

        """
        self.join()
        # OpenMP keeps the thread count per thread: a new thread would start with one per core, not the
        # caller's ``torch.set_num_threads`` (1 in ``learn``), and spin against the acting thread. Measured
        # on 2 cores (SAC, 4k steps): 13.1 s of CPU against 3.5 s unthreaded before this line, 4.1 s against
        # 5.0 s after.
        threads = torch.get_num_threads()

        def run() -> None:
            torch.set_num_threads(threads)
            self._deferred.pending = []
            try:
                work()
            except BaseException as exc:  # re-raised in the caller's thread at the join
                self._error = exc
            finally:
                self._records = self._deferred.pending
                self._deferred.pending = None

        self._thread = threading.Thread(target=run, name="rl-update", daemon=True)
        self.started += 1
        self._thread.start()

    def join(self) -> None:
        """Wait for the running update, record its statistics, and raise its exception if it failed."""
        if self._thread is None:
            return
        self._thread.join()
        self._thread = None
        records, self._records = self._records, []
        for key, value in records:
            self._record(key, value)
        error, self._error = self._error, None
        if error is not None:
            raise error


__all__ = ["BackgroundUpdate", "DeferredRecords", "Records"]
