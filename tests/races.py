"""Run two callers of a service at the same moment, in threads, in a chosen order (PostgreSQL concurrency tests).

The tests that prove a lock works all follow one protocol:

1. the first caller is **parked** inside the locked section (after it has taken the lock and read the row),
2. the second caller is started and the test waits until PostgreSQL reports it **blocked** on a lock
   (or until it has finished, which is what happens when the lock is missing),
3. the first caller is **released**; both finish and the test checks what users would see.

Their control tests turn the lock off and show the race is real: the second caller then reaches the
same spot while the first is still parked there (``later_arrivals_release`` lets it free the first), or
both callers meet after reading (``meet_after``) before either writes.

Every caller runs in its own thread, so Django gives it its own database connection (connections are
per thread); the connection is closed when the caller ends, or the test database could not be dropped.
Nothing here sleeps for a guessed time: threads wait on ``threading.Event``/``Barrier`` objects, and
every wait has a deadline that fails the test with :class:`Stuck` saying what never happened, instead of
hanging the run. When the ``with Race()`` block ends every thread is joined; if the block failed, every
parked caller is let go first, so a failing assertion never leaves a thread holding a row lock behind it.

Typical use::

    with races.Race() as race:
        spot = race.park(monkeypatch, receiving, "_delivery_for_update")
        first = race.start("first", confirm)
        spot.wait_until_reached()
        second = race.start("second", confirm)
        race.wait_until_blocked(second)
        spot.release()
    assert race.errors == {...}
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.utils import translation

# How long any single step may take before the test fails. Generous for a loaded 2-core machine: a
# passing run never gets near it, it only bounds how long a broken run takes to say so.
TIMEOUT = 10.0

# PostgreSQL does not announce that a backend started waiting for a lock, so the test looks at pg_locks
# this often. The wait is on the caller's "finished" event, so a caller that ends is noticed at once.
POLL_SECONDS = 0.01


class Stuck(AssertionError):
    """Something the race protocol waits for did not happen in time: the test fails instead of hanging."""


def _wait(event: threading.Event, what: str, timeout: float | None = None) -> None:
    timeout = TIMEOUT if timeout is None else timeout
    if not event.wait(timeout):
        raise Stuck(f"waited {timeout:g}s for {what}")


class Spot:
    """A place in the code where the first caller to arrive stays parked until the test releases it.

    ``arrive()`` is called from the code under test (directly in a thread's work, or through
    :meth:`Race.park`). Later arrivals go straight through; with ``later_arrivals_release`` they also
    release the first, which is how a control test without the lock lets both callers finish: the second
    one could only get here because nothing kept it out while the first was parked.
    """

    def __init__(self, name: str = "the parking spot", *, later_arrivals_release: bool = False):
        self.name = name
        self.later_arrivals_release = later_arrivals_release
        self.arrivals = 0
        self._count = threading.Lock()
        self._reached = threading.Event()
        self._released = threading.Event()

    def arrive(self) -> None:
        with self._count:
            self.arrivals += 1
            first = self.arrivals == 1
        if first:
            self._reached.set()
            _wait(self._released, f"the test to release the caller parked at {self.name}")
        elif self.later_arrivals_release:
            self._released.set()

    def wait_until_reached(self, timeout: float | None = None) -> None:
        """Block the test until the first caller is parked here (it then holds whatever it took before)."""
        _wait(self._reached, f"a caller to reach {self.name}", timeout)

    def release(self) -> None:
        self._released.set()


class Caller:
    """One caller of the service under test, running ``work`` in its own thread and database connection.

    ``result`` is what ``work`` returned, ``error`` what it raised (refusals are outcomes the tests check,
    so they are kept, not re-raised). ``pid`` is its PostgreSQL backend, so the test can ask whether
    *this* caller waits for a lock rather than whether anyone on the shared server does.
    """

    def __init__(self, name: str, work: Callable[[], Any], *, language: str | None, before: Callable[[], Any] | None):
        self.name = name
        self.result: Any = None
        self.error: BaseException | None = None
        self.pid: int | None = None
        self.finished = threading.Event()
        self._work, self._language, self._before = work, language, before
        self.thread = threading.Thread(target=self._run, name=name)

    def _run(self) -> None:
        if self._language:
            translation.activate(self._language)  # threads do not inherit the test's language
        try:
            connection = connections["default"]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    self.pid = cursor.fetchone()[0]
            if self._before is not None:
                self._before()
            self.result = self._work()
        except BaseException as exc:  # an outcome the test inspects through Race.errors
            self.error = exc
        finally:
            connections.close_all()
            self.finished.set()

    def waits_for_a_lock(self) -> bool:
        if self.pid is None:
            return False
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [self.pid])
            return cursor.fetchone()[0] > 0


class Race:
    """The callers of one test, and the spots and meeting points they are held at.

    Use it as a context manager: leaving the block joins every caller, raising :class:`Stuck` if one does
    not end or if one of them timed out waiting; leaving it with an exception first releases every spot
    and breaks every meeting point, so the callers end at once.
    ``language`` is activated in every caller's thread (they start in the default language otherwise).
    """

    def __init__(self, *, language: str | None = None):
        self.language = language
        self.callers: list[Caller] = []
        self._spots: list[Spot] = []
        self._barriers: list[threading.Barrier] = []

    def __enter__(self) -> Race:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is not None:
            # The test failed part-way: let every caller go at once so none keeps a lock or waits out its timeout.
            for spot in self._spots:
                spot.release()
            for barrier in self._barriers:
                barrier.abort()
        # Otherwise nothing is forced: a caller still parked or waiting for a partner here is a bug in the
        # test's choreography, and its own deadline reports it as Stuck below.
        started = [caller for caller in self.callers if caller.thread.ident is not None]
        stuck = [caller.name for caller in started if not caller.finished.wait(2 * TIMEOUT)]
        if exc_type is not None:
            return False  # the test's own failure says more than anything found while cleaning up
        if stuck:
            raise Stuck(f"still running after the race ended: {', '.join(stuck)}")
        for caller in started:
            if isinstance(caller.error, Stuck):
                raise caller.error
        return False

    # --- Callers ---------------------------------------------------------------------------------------------

    def start(self, name: str, work: Callable[[], Any], *, before: Callable[[], Any] | None = None) -> Caller:
        """Start ``work`` in a new thread now; ``before`` runs first in that thread (e.g. a barrier)."""
        caller = Caller(name, work, language=self.language, before=before)
        self.callers.append(caller)
        caller.thread.start()
        return caller

    def all_at_once(self, **works: Callable[[], Any]) -> list[Caller]:
        """Start every work in its own thread, all let go together by a barrier, in no chosen order."""
        start_together = self._barrier(len(works))
        return [self.start(name, work, before=_meeting(start_together, "the start")) for name, work in works.items()]

    def finish(self, caller: Caller, timeout: float | None = None) -> None:
        """Block the test until ``caller`` has ended (e.g. it must not wait for a parked one)."""
        _wait(caller.finished, f"{caller.name} to finish", timeout)

    def wait_until_blocked(self, caller: Caller, timeout: float | None = None) -> None:
        """Block the test until ``caller`` waits for a database lock, or has finished.

        Finishing is the outcome when the lock is missing: the test then goes on, and its assertions
        show the race. Anything else within ``timeout`` means the caller is stuck in Python.
        """
        timeout = TIMEOUT if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while not caller.finished.wait(POLL_SECONDS):
            if caller.waits_for_a_lock():
                return
            if time.monotonic() > deadline:
                raise Stuck(f"{caller.name} neither waited for a lock nor finished within {timeout:g}s")

    @property
    def errors(self) -> dict[str, BaseException]:
        """What each caller raised, by caller name, in the order they were started."""
        return {caller.name: caller.error for caller in self.callers if caller.error is not None}

    # --- Where callers are held ------------------------------------------------------------------------------

    def spot(self, name: str = "the parking spot", *, later_arrivals_release: bool = False) -> Spot:
        """A :class:`Spot` the race releases if the test fails; call ``arrive()`` from a caller's work."""
        spot = Spot(name, later_arrivals_release=later_arrivals_release)
        self._spots.append(spot)
        return spot

    def park(
        self,
        monkeypatch,
        owner: object,
        name: str,
        *,
        after: bool = True,
        only_if: Callable[..., bool] | None = None,
        later_arrivals_release: bool = False,
    ) -> Spot:
        """Patch ``owner.name`` so that the first caller parks there; returns the :class:`Spot`.

        ``after`` parks once the real function has returned (holding the lock it took, with what it read);
        otherwise before it runs. ``only_if(*args, **kwargs)`` picks which calls count as arrivals.
        """
        real = getattr(owner, name)
        spot = self.spot(f"{getattr(owner, '__name__', owner)}.{name}", later_arrivals_release=later_arrivals_release)

        @functools.wraps(real)
        def parked(*args, **kwargs):
            counts = only_if is None or only_if(*args, **kwargs)
            if counts and not after:
                spot.arrive()
            value = real(*args, **kwargs)
            if counts and after:
                spot.arrive()
            return value

        monkeypatch.setattr(owner, name, parked)
        return spot

    def meet_after(self, monkeypatch, owner: object, name: str, parties: int = 2) -> None:
        """Patch ``owner.name`` so that no caller goes on after it until ``parties`` callers have run it.

        For the control tests: without the lock nothing stops every caller from reading the same state
        before any of them writes.
        """
        real = getattr(owner, name)
        everyone_here = _meeting(self._barrier(parties), f"{parties} callers to run {name}")

        @functools.wraps(real)
        def met(*args, **kwargs):
            value = real(*args, **kwargs)
            everyone_here()
            return value

        monkeypatch.setattr(owner, name, met)

    def _barrier(self, parties: int) -> threading.Barrier:
        barrier = threading.Barrier(parties, timeout=TIMEOUT)
        self._barriers.append(barrier)
        return barrier


def _meeting(barrier: threading.Barrier, what: str) -> Callable[[], None]:
    def wait() -> None:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            # Broken by a timeout here or by the race ending early: either way the others never came.
            raise Stuck(f"waited {TIMEOUT:g}s for {what}") from None

    return wait
