"""The allocation desk: which runs a coordinator finds on it and may open."""

from django.urls import reverse

from production.models.allocation_runs import AllocationRun, AllocationRunStatus

from .. import factories


def finished_run(user, provinces: list[str]) -> AllocationRun:
    return AllocationRun.objects.create(
        created_by=user, province_codes=provinces, dry_run=True, status=AllocationRunStatus.DONE, result={}
    )


def test_a_colleague_of_the_same_province_finds_and_opens_the_run(client_for, coordinator):
    run = finished_run(coordinator, ["tehran"])
    colleague = client_for(factories.CoordinatorFactory())

    assert list(colleague.get(reverse("orders:allocation")).context["runs"]) == [run]
    assert colleague.get(reverse("orders:allocation-run", args=[run.pk])).status_code == 200


def test_a_run_reaching_a_province_she_does_not_cover_is_not_hers_to_open(client_for, coordinator):
    two_provinces = factories.CoordinatorFactory(provinces=[factories.province("tehran"), factories.province("alborz")])
    run = finished_run(two_provinces, ["alborz", "tehran"])
    country = finished_run(factories.CoordinatorFactory(is_national=True, provinces=[]), [])
    client = client_for(coordinator)

    assert client.get(reverse("orders:allocation")).context["runs"] == []
    assert client.get(reverse("orders:allocation-run", args=[run.pk])).status_code == 404
    assert client.get(reverse("orders:allocation-run", args=[country.pk])).status_code == 404


def test_a_national_coordinator_sees_every_run_newest_first(client_for, coordinator, national_coordinator):
    older = finished_run(coordinator, ["tehran"])
    newer = finished_run(factories.CoordinatorFactory(provinces=[factories.province("isfahan")]), ["isfahan"])

    assert client_for(national_coordinator).get(reverse("orders:allocation")).context["runs"] == [newer, older]


def test_her_own_run_of_the_whole_country_stays_hers(client_for, national_coordinator):
    run = finished_run(national_coordinator, [])
    assert client_for(national_coordinator).get(reverse("orders:allocation-run", args=[run.pk])).status_code == 200


def test_a_commit_planned_again_under_the_lock_says_so_on_its_page_and_one_that_held_does_not(client_for, coordinator):
    held = AllocationRun.objects.create(
        created_by=coordinator,
        province_codes=["tehran"],
        dry_run=False,
        status=AllocationRunStatus.DONE,
        result={"replanned_under_locks": False},
    )
    replanned = AllocationRun.objects.create(
        created_by=coordinator,
        province_codes=["tehran"],
        dry_run=False,
        status=AllocationRunStatus.DONE,
        result={"replanned_under_locks": True, "replan_reasons": ["order 7: 100 units offered, only 60 may be"]},
    )
    client = client_for(coordinator)

    page = client.get(reverse("orders:allocation-run", args=[replanned.pk])).content.decode()
    assert 'data-testid="replanned-under-locks"' in page
    assert "only 60 may be" not in page  # the checker's words are for the log, not the coordinator
    assert (
        'data-testid="replanned-under-locks"'
        not in client.get(reverse("orders:allocation-run", args=[held.pk])).content.decode()
    )


def test_a_commit_that_offered_nothing_does_not_say_the_quotas_were_offered(client_for, coordinator):
    def commit(totals):
        return AllocationRun.objects.create(
            created_by=coordinator,
            province_codes=["tehran"],
            dry_run=False,
            status=AllocationRunStatus.DONE,
            result={"totals": totals},
        )

    client = client_for(coordinator)
    empty = client.get(reverse("orders:allocation-run", args=[commit({"quotas": 0, "unmet_units": 9}).pk]))
    offered = client.get(reverse("orders:allocation-run", args=[commit({"quotas": 3, "allocated_units": 90}).pk]))

    assert 'data-testid="nothing-offered"' in empty.content.decode()
    assert 'data-testid="quotas-offered"' not in empty.content.decode()
    assert 'data-testid="quotas-offered"' in offered.content.decode()
    assert 'data-testid="nothing-offered"' not in offered.content.decode()
