from ..i18n import page_is_persian


class BilingualNameMixin:
    """``name`` follows the UI language; Persian is the fallback for a blank English name."""

    name_fa: str
    name_en: str

    @property
    def name(self) -> str:
        if not page_is_persian() and self.name_en:
            return self.name_en
        return self.name_fa
