from django.utils.translation import get_language


def english_ui() -> bool:
    return (get_language() or "fa").startswith("en")


class BilingualNameMixin:
    """``name`` follows the UI language; Persian is the fallback for a blank English name."""

    name_fa: str
    name_en: str

    @property
    def name(self) -> str:
        if english_ui() and self.name_en:
            return self.name_en
        return self.name_fa
