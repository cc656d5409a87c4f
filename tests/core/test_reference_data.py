from django.utils import translation

from core.models import City, Product, ProductKind, Province


def test_all_31_provinces_are_there_after_migrate(db):
    assert Province.objects.count() == 31
    tehran = Province.objects.get(code="tehran")
    assert tehran.name_fa == "تهران"
    assert Province.objects.get(code="sistan-baluchestan").name_en == "Sistan and Baluchestan"


def test_every_province_has_exactly_one_capital_city(db):
    assert City.objects.filter(is_capital=True).count() == 31
    assert City.objects.get(province__code="khuzestan", is_capital=True).name_fa == "اهواز"


def test_province_names_follow_the_interface_language(db):
    isfahan = Province.objects.get(code="isfahan")
    with translation.override("fa"):
        assert str(isfahan) == "اصفهان"
    with translation.override("en"):
        assert str(isfahan) == "Isfahan"


def test_catalogue_starts_with_two_masks_and_two_gowns(db):
    codes = set(Product.objects.values_list("code", flat=True))
    assert {"surgical-mask-3ply", "cloth-mask", "isolation-gown", "surgical-gown"} <= codes
    assert Product.objects.filter(kind=ProductKind.GOWN).count() >= 2
    for product in Product.objects.all():
        assert 0 < product.piece_rate_rials <= product.unit_cost_rials
        assert product.standard_minutes > 0
