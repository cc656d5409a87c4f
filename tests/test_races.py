"""The race harness the concurrency tests share (tests/races.py): it keeps its order and never hangs.

These run on any database: the callers' work does not touch it, so only the Python side of the
protocol is checked; the PostgreSQL concurrency modules exercise the lock waits themselves. (On
PostgreSQL each caller still asks for its backend's pid, hence the database mark.)
"""

import types

import pytest
from django.utils import translation

from . import races

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_timeout(monkeypatch):
    """Makes a broken choreography fail in a fraction of a second instead of ten."""
    monkeypatch.setattr(races, "TIMEOUT", 0.3)


def test_the_first_caller_stays_parked_while_a_later_one_goes_through():
    with races.Race() as race:
        spot = race.spot()
        first = race.start("first", lambda: spot.arrive() or "first done")
        spot.wait_until_reached()
        second = race.start("second", lambda: spot.arrive() or "second done")
        race.finish(second)
        assert not first.finished.is_set()
        spot.release()

    assert race.errors == {}
    assert (first.result, second.result, spot.arrivals) == ("first done", "second done", 2)


def test_a_later_arrival_can_release_the_first_one():
    with races.Race() as race:
        spot = race.spot(later_arrivals_release=True)
        first = race.start("first", spot.arrive)
        spot.wait_until_reached()
        race.start("second", spot.arrive)
        race.finish(first)

    assert race.errors == {}


def test_park_holds_the_first_matching_call_after_the_real_function_returned(monkeypatch):
    calls = []
    service = types.SimpleNamespace(read=lambda kind: calls.append(kind) or kind)
    with races.Race() as race:
        spot = race.park(monkeypatch, service, "read", only_if=lambda kind: kind == "row")
        first = race.start("first", lambda: [service.read("other"), service.read("row")])
        spot.wait_until_reached()
        assert calls == ["other", "row"]  # parked after the real read, not before it
        spot.release()

    assert first.result == ["other", "row"]
    assert spot.arrivals == 1


def test_errors_are_kept_by_caller_name_in_the_order_the_callers_started():
    def refuse():
        raise ValueError("refused")

    with races.Race() as race:
        race.start("b", refuse)
        race.finish(race.callers[0])
        race.start("a", lambda: None)
        race.start("c", refuse)

    assert list(race.errors) == ["b", "c"]
    assert all(isinstance(error, ValueError) for error in race.errors.values())


def test_callers_meet_after_a_function_before_either_goes_on(monkeypatch):
    order = []
    service = types.SimpleNamespace(plan=lambda name: order.append(f"plan {name}"))
    with races.Race() as race:
        race.meet_after(monkeypatch, service, "plan")
        race.all_at_once(
            one=lambda: [service.plan("one"), order.append("write one")],
            two=lambda: [service.plan("two"), order.append("write two")],
        )

    assert race.errors == {}
    assert sorted(order[:2]) == ["plan one", "plan two"]
    assert sorted(order[2:]) == ["write one", "write two"]


def test_callers_run_in_the_race_language():
    with translation.override("fa"), races.Race(language="en") as race:
        caller = race.start("reader", translation.get_language)

    assert caller.result == "en"


def test_a_caller_never_released_fails_the_test_instead_of_hanging(short_timeout):
    with pytest.raises(races.Stuck, match="release the caller parked"), races.Race() as race:
        spot = race.spot()
        race.start("first", spot.arrive)
        spot.wait_until_reached()


def test_a_caller_whose_partner_never_comes_fails_the_test(short_timeout, monkeypatch):
    service = types.SimpleNamespace(plan=lambda: None)
    with pytest.raises(races.Stuck, match="2 callers to run plan"), races.Race() as race:
        race.meet_after(monkeypatch, service, "plan")
        race.start("alone", service.plan)


def test_waiting_for_a_caller_stuck_in_python_fails_instead_of_hanging():
    with races.Race() as race:
        spot = race.spot()
        caller = race.start("first", spot.arrive)
        spot.wait_until_reached()
        with pytest.raises(races.Stuck, match="neither waited for a lock nor finished"):
            race.wait_until_blocked(caller, timeout=0.2)  # parked at the spot, not on a database lock
        spot.release()


def test_waiting_for_a_caller_that_finished_returns_at_once():
    with races.Race() as race:
        caller = race.start("quick", lambda: None)
        race.wait_until_blocked(caller)  # finishing is what a caller does when the lock is missing

    assert caller.finished.is_set()


def test_a_failing_test_lets_its_parked_callers_go_and_keeps_its_own_error():
    with pytest.raises(ZeroDivisionError), races.Race() as race:
        spot = race.spot()
        race.start("first", spot.arrive)
        spot.wait_until_reached()
        1 / 0  # noqa: B018 - the test body failing while a caller is parked

    assert race.callers[0].finished.is_set()
    assert race.errors == {}
