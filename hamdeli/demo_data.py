"""The fixed people, places and organisations of the demo world (``hamdeli.demo`` creates them).

Mobile numbers are the demo's logins; the README and the browser tests name some of them.
"""

from __future__ import annotations

from core.models import HealthCenterKind
from donors.models import DonorKind

# Provinces in the demo and extra (non-capital) cities a coordinator would have added.
EXTRA_CITIES = {
    "tehran": [("شهریار", "Shahriar"), ("اسلامشهر", "Eslamshahr")],
    "alborz": [("فردیس", "Fardis")],
    "isfahan": [("کاشان", "Kashan"), ("نجف‌آباد", "Najafabad")],
    "fars": [("مرودشت", "Marvdasht")],
    "razavi-khorasan": [("نیشابور", "Neyshabur")],
    "east-azerbaijan": [("مراغه", "Maragheh")],
}

# mobile, name, provinces (codes) or "national"
COORDINATORS = [
    ("09120000001", "زهرا احمدی", "national"),
    ("09121000001", "مریم کریمی", ["tehran", "alborz"]),
    ("09121000002", "فاطمه رضایی", ["isfahan", "fars"]),
    ("09121000003", "سمیه حسینی", ["razavi-khorasan", "east-azerbaijan"]),
]
ADMIN = ("09120000000", "مدیر سامانه")

FIRST_NAMES = [
    "معصومه",
    "زینب",
    "لیلا",
    "نرگس",
    "شیما",
    "مهناز",
    "پروین",
    "سکینه",
    "رقیه",
    "اکرم",
    "طاهره",
    "منیژه",
    "فرشته",
    "راضیه",
    "الهام",
]
LAST_NAMES = [
    "محمدی",
    "موسوی",
    "جعفری",
    "صادقی",
    "قاسمی",
    "نوری",
    "یوسفی",
    "کاظمی",
    "اکبری",
    "رحیمی",
    "عباسی",
    "حیدری",
    "مرادی",
    "سلیمانی",
    "نظری",
]

# name, kind, province code, city (fa), address, phone, contact person
HEALTH_CENTERS = [
    (
        "بیمارستان امام خمینی",
        HealthCenterKind.HOSPITAL,
        "tehran",
        "تهران",
        "بلوار کشاورز، خیابان دکتر قریب",
        "02161190",
        "دکتر علی نادری",
    ),
    (
        "بیمارستان شهدای شهریار",
        HealthCenterKind.HOSPITAL,
        "tehran",
        "شهریار",
        "بلوار ولیعصر",
        "02165220000",
        "مهدی فرهادی",
    ),
    (
        "مرکز جامع سلامت اسلامشهر",
        HealthCenterKind.CLINIC,
        "tehran",
        "اسلامشهر",
        "خیابان امام خمینی",
        "02156120000",
        "نسرین شاکری",
    ),
    (
        "بیمارستان امام علی کرج",
        HealthCenterKind.HOSPITAL,
        "alborz",
        "کرج",
        "میدان امام حسین",
        "02634411000",
        "رضا حاتمی",
    ),
    (
        "بیمارستان الزهرا",
        HealthCenterKind.HOSPITAL,
        "isfahan",
        "اصفهان",
        "خیابان صفه",
        "03136202020",
        "دکتر سارا کیانی",
    ),
    (
        "درمانگاه شهید بهشتی کاشان",
        HealthCenterKind.CLINIC,
        "isfahan",
        "کاشان",
        "خیابان قطب راوندی",
        "03155540000",
        "حمید مهدوی",
    ),
    ("بیمارستان نمازی", HealthCenterKind.HOSPITAL, "fars", "شیراز", "میدان نمازی", "07136474331", "دکتر پریسا زارع"),
    (
        "خانه بهداشت روستای کناره",
        HealthCenterKind.HEALTH_HOUSE,
        "fars",
        "مرودشت",
        "روستای کناره",
        "07143310000",
        "گلاره بهرامی",
    ),
    (
        "بیمارستان امام رضا",
        HealthCenterKind.HOSPITAL,
        "razavi-khorasan",
        "مشهد",
        "میدان بیمارستان امام رضا",
        "05138543031",
        "دکتر مجید توکلی",
    ),
    (
        "بیمارستان سینا تبریز",
        HealthCenterKind.HOSPITAL,
        "east-azerbaijan",
        "تبریز",
        "خیابان امام خمینی",
        "04135498000",
        "یوسف قربانی",
    ),
]

DONORS = [
    ("09124000001", "حسن شریفی", DonorKind.INDIVIDUAL, ""),
    ("09124000002", "خیریه مهر امید", DonorKind.CHARITY, "45213"),
    ("09124000003", "سازمان مردم‌نهاد دست‌های مهربان", DonorKind.NGO, "78120"),
    ("09124000004", "شرکت نساجی البرز", DonorKind.COMPANY, "10103456789"),
    ("09124000005", "نیلوفر امیری", DonorKind.INDIVIDUAL, ""),
    ("09124000006", "علی بابایی", DonorKind.INDIVIDUAL, ""),
]

FUNDING_CHARITY = 1  # index in DONORS: pays the budgets of the demo's funded orders
WORKSHOP_COUNT = 30
HEALTH_CENTER_STAFF_MOBILE = "09123000001"
