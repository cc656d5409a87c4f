"""Iran's 31 provinces and their capitals.

Data is written into the migration (not read from a file) so that this
migration gives the same result forever, whatever later happens to the CSV in
core/data/ it was generated from.
"""

from django.db import migrations

# code, Persian name, English name, capital (Persian), capital (English)
PROVINCES = (
    ('alborz', 'البرز', 'Alborz', 'کرج', 'Karaj'),
    ('ardabil', 'اردبیل', 'Ardabil', 'اردبیل', 'Ardabil'),
    ('bushehr', 'بوشهر', 'Bushehr', 'بوشهر', 'Bushehr'),
    ('chaharmahal-bakhtiari', 'چهارمحال و بختیاری', 'Chaharmahal and Bakhtiari', 'شهرکرد', 'Shahrekord'),
    ('east-azerbaijan', 'آذربایجان شرقی', 'East Azerbaijan', 'تبریز', 'Tabriz'),
    ('fars', 'فارس', 'Fars', 'شیراز', 'Shiraz'),
    ('gilan', 'گیلان', 'Gilan', 'رشت', 'Rasht'),
    ('golestan', 'گلستان', 'Golestan', 'گرگان', 'Gorgan'),
    ('hamadan', 'همدان', 'Hamadan', 'همدان', 'Hamadan'),
    ('hormozgan', 'هرمزگان', 'Hormozgan', 'بندرعباس', 'Bandar Abbas'),
    ('ilam', 'ایلام', 'Ilam', 'ایلام', 'Ilam'),
    ('isfahan', 'اصفهان', 'Isfahan', 'اصفهان', 'Isfahan'),
    ('kerman', 'کرمان', 'Kerman', 'کرمان', 'Kerman'),
    ('kermanshah', 'کرمانشاه', 'Kermanshah', 'کرمانشاه', 'Kermanshah'),
    ('khuzestan', 'خوزستان', 'Khuzestan', 'اهواز', 'Ahvaz'),
    ('kohgiluyeh-boyer-ahmad', 'کهگیلویه و بویراحمد', 'Kohgiluyeh and Boyer-Ahmad', 'یاسوج', 'Yasuj'),
    ('kurdistan', 'کردستان', 'Kurdistan', 'سنندج', 'Sanandaj'),
    ('lorestan', 'لرستان', 'Lorestan', 'خرم\u200cآباد', 'Khorramabad'),
    ('markazi', 'مرکزی', 'Markazi', 'اراک', 'Arak'),
    ('mazandaran', 'مازندران', 'Mazandaran', 'ساری', 'Sari'),
    ('north-khorasan', 'خراسان شمالی', 'North Khorasan', 'بجنورد', 'Bojnurd'),
    ('qazvin', 'قزوین', 'Qazvin', 'قزوین', 'Qazvin'),
    ('qom', 'قم', 'Qom', 'قم', 'Qom'),
    ('razavi-khorasan', 'خراسان رضوی', 'Razavi Khorasan', 'مشهد', 'Mashhad'),
    ('semnan', 'سمنان', 'Semnan', 'سمنان', 'Semnan'),
    ('sistan-baluchestan', 'سیستان و بلوچستان', 'Sistan and Baluchestan', 'زاهدان', 'Zahedan'),
    ('south-khorasan', 'خراسان جنوبی', 'South Khorasan', 'بیرجند', 'Birjand'),
    ('tehran', 'تهران', 'Tehran', 'تهران', 'Tehran'),
    ('west-azerbaijan', 'آذربایجان غربی', 'West Azerbaijan', 'ارومیه', 'Urmia'),
    ('yazd', 'یزد', 'Yazd', 'یزد', 'Yazd'),
    ('zanjan', 'زنجان', 'Zanjan', 'زنجان', 'Zanjan'),
)


def load_provinces(apps, schema_editor):
    Province = apps.get_model("core", "Province")
    City = apps.get_model("core", "City")
    for code, name_fa, name_en, capital_fa, capital_en in PROVINCES:
        province, _ = Province.objects.update_or_create(code=code, defaults={"name_fa": name_fa, "name_en": name_en})
        City.objects.update_or_create(
            province=province, name_fa=capital_fa, defaults={"name_en": capital_en, "is_capital": True}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load_provinces, migrations.RunPython.noop)]
