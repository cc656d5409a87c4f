"""The SMS grammar, without a database: what each typed message asks for."""

import pytest

from sms_commands.grammar import Action, Command, parse, quota_short_code


@pytest.mark.parametrize(
    "text",
    ["ت ۱۲", "T 12", "t 12", "ت۱۲", "ت  ۱۲ ", "ت ١٢", "\u200fت\u200c۱۲", "\u202bت ۱۲\u202c", "T12"],
)
def test_a_report_without_a_quota_code_reads_the_same_in_every_script_and_spacing(text):
    assert parse(text) == Command(Action.REPORT, quantity=12)


@pytest.mark.parametrize(
    "text",
    ["ت ۱۲ ک۴۵", "T 12 K45", "T 12 [K45]", "ت ۱۲، ک-۴۵.", "t 12 k45", "ت۱۲ک۴۵", "ت ۱۲ ک ۴۵", "ت 12 ك45", "ت ۱۲ ۴۵"],
)
def test_a_report_to_a_named_quota_carries_its_id(text):
    assert parse(text) == Command(Action.REPORT, quantity=12, quota_id=45)


@pytest.mark.parametrize("text", ["و", "S", "s", " و "])
def test_status_is_one_letter(text):
    assert parse(text) == Command(Action.STATUS)


@pytest.mark.parametrize("text", ["راهنما", "HELP", "help", "؟", "?"])
def test_help_is_asked_in_persian_or_latin(text):
    assert parse(text) == Command(Action.HELP)


@pytest.mark.parametrize("text", ["ق ک۴۵", "A K45", "a k45", "ق۴۵"])
def test_accepting_an_offer_names_its_code(text):
    assert parse(text) == Command(Action.ACCEPT, quota_id=45)


@pytest.mark.parametrize("text", ["ر ک۴۵", "D K45", "d k 45"])
def test_declining_an_offer_names_its_code(text):
    assert parse(text) == Command(Action.DECLINE, quota_id=45)


@pytest.mark.parametrize("text", ["ح ABCD2345 ۴۰", "C ABCD2345 40", "c abcd2345 ٤٠", "CABCD2345 40"])
def test_a_health_center_confirms_a_delivery_with_its_short_code_and_the_count(text):
    assert parse(text) == Command(Action.RECEIVE, quantity=40, delivery_code="ABCD2345")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "ت",
        "ت ک۴۵",
        "ت ۱۲ x",
        "ت ۱۲ ک۴۵ ۳",
        "ق",
        "ر",
        "و ۱۲",
        "hello",
        "سلام",
        "ح ABCD 40",
        "C ABCD2345",
        "C ABCD2O45 40",
        "T 1234567890",
    ],
)
def test_anything_else_is_unknown(text):
    assert parse(text).action is Action.UNKNOWN


def test_a_quota_short_code_is_kaf_and_its_id_and_parses_back():
    assert quota_short_code(45) == "ک۴۵"
    assert parse("ق " + quota_short_code(45)).quota_id == 45
