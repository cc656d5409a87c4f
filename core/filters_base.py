class ActiveCountMixin:
    """For FilterSets on phone pages: how many filters are set, and whether the panel must open for errors."""

    @property
    def active_count(self) -> int:
        if not self.is_bound or not self.form.is_valid():
            return 0
        return sum(value not in (None, "") for value in self.form.cleaned_data.values())

    @property
    def has_errors(self) -> bool:
        return self.is_bound and bool(self.form.errors)
