from .allocation_runs import AllocationRun, AllocationRunStatus
from .quotas import OutputReport, Quota, QuotaStatus

__all__ = ["AllocationRun", "AllocationRunStatus", "OutputReport", "Quota", "QuotaStatus"]
