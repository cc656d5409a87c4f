"""Bank statements: a month of transfers confirmed from one upload, each transfer once."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from core.models import AuditLog
from donors.ledger import selectors as ledger
from donors.models import EntryKind, LedgerEntry, PledgeStatus
from donors.services.pledges import pledge_confirm
from donors.statements.matching import WaitingPledge, match_lines, references_in
from donors.statements.models import BankStatement, StatementLine, StatementLineStatus
from donors.statements.parsing import ParsedLine, parse_statement
from donors.statements.services import statement_confirm_matched, statement_upload

from .. import factories

HEADER = "تاریخ,شرح,شماره پیگیری,بدهکار,بستانکار\n"


def csv_file(*rows: str, title: str = "صورتحساب سپرده ۰۱۰۱\n") -> bytes:
    return (title + HEADER + "".join(row + "\n" for row in rows)).encode("utf-8-sig")


def line(row=2, amount=10_000_000, description="", reference="", fingerprint=None) -> ParsedLine:
    return ParsedLine(row, dt.date(2026, 12, 1), amount, description, reference, fingerprint or f"f{row}")


# --- Reading the file ------------------------------------------------------------------------------------------


def test_a_persian_csv_with_a_title_row_gives_its_deposits_in_rials_and_skips_withdrawals():
    content = csv_file(
        '۱۴۰۵/۰۹/۱۰,واریز پایا بابت ۱۲۳۴۵۶۷,۹۸۷۶۵۴,,"۱۰٬۰۰۰٬۰۰۰"',
        '1405/09/11,کارمزد,111,"25,000",',
        "2026-12-03,‮transfer‬,222,,5000000",
    )
    lines = parse_statement(content, "bank.csv")
    assert [(x.row_number, x.booked_on, x.amount_rials) for x in lines] == [
        (3, dt.date(2026, 12, 1), 10_000_000),
        (5, dt.date(2026, 12, 3), 5_000_000),
    ]
    assert lines[0].description == "واریز پایا بابت ۱۲۳۴۵۶۷"
    assert lines[0].bank_reference == "۹۸۷۶۵۴"
    assert lines[1].description == "transfer"  # direction controls are dropped


def test_an_xlsx_statement_with_spreadsheet_dates_and_numbers_reads_the_same():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Description", "Reference", "Amount"])
    sheet.append([dt.datetime(2026, 12, 1, 9, 30), "gift 1234566", "A-1", 10_000_000])
    sheet.append([dt.datetime(2026, 12, 2), "card fee", "A-2", -50_000])
    buffer = io.BytesIO()
    book.save(buffer)
    lines = parse_statement(buffer.getvalue(), "December.XLSX")
    assert [(x.booked_on, x.amount_rials, x.bank_reference) for x in lines] == [
        (dt.date(2026, 12, 1), 10_000_000, "A-1")
    ]


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (csv_file("1405/09/10,x,1,,۱۲٫۵"), "s.csv", "Row 3"),
        (csv_file("1405/09/10,x,1,,12345668901234566890"), "s.csv", "Row 3"),
        (csv_file("1405/13/40,x,1,,1000"), "s.csv", "is not a date"),
        (b"date;amount\n", "s.csv", "No header row"),
        (b"%PDF-1.4", "s.pdf", "CSV or XLSX"),
        (b"not a zip", "s.xlsx", "not an Excel"),
        (b"date,description,amount\x00\n", "s.csv", "not a CSV text file"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(content, name, says):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        parse_statement(content, name)
    assert says in " ".join(refused.value.message_dict["file"])


def test_a_statement_saved_by_persian_windows_in_its_code_page_is_read_with_its_persian_text():
    # Windows-1256 has the Arabic yeh and kaf only: Persian Windows writes ي and ك, read back as ی and ک.
    text = HEADER + "1405/09/10,واریز حسن شریفی,1,,5000000\n"
    content = text.replace("ی", "ي").replace("ک", "ك").encode("cp1256")
    (only,) = parse_statement(content, "s.csv")
    assert only.description == "واریز حسن شریفی" and only.amount_rials == 5_000_000


def test_a_refusal_in_persian_names_the_row_in_persian_digits():
    with pytest.raises(ValidationError) as refused:
        parse_statement(csv_file("1405/09/10,x,1,,abc"), "s.csv")
    assert refused.value.message_dict["file"] == ["ردیف ۳: «abc» مبلغ ریالی نیست."]


def test_the_same_transfer_has_the_same_fingerprint_in_another_file_and_two_identical_lines_differ():
    first = parse_statement(csv_file("1405/09/10,x,1,,1000", "1405/09/10,x,1,,1000"), "a.csv")
    second = parse_statement(csv_file("1405/09/09,y,9,,7", "1405/09/10,x,1,,1000", title=""), "b.csv")
    assert first[0].fingerprint != first[1].fingerprint
    assert second[1].fingerprint == first[0].fingerprint


# --- Matching (no database) ------------------------------------------------------------------------------------


def test_a_reference_needs_its_check_digit_and_may_be_written_in_persian_digits():
    assert references_in("بابت تعهد ۱۲۳۴۵۶۶ و 1234567") == ["1234566"]


def test_a_line_is_matched_only_by_one_waiting_reference_with_the_pledged_amount():
    waiting = [WaitingPledge(1, "1234566", 10_000_000), WaitingPledge(2, "7654320", 5_000_000)]
    results = match_lines(
        [
            line(2, 10_000_000, "gift 1234566"),  # matched
            line(3, 9_000_000, "gift 7654320"),  # reference, other amount
            line(4, 10_000_000, "1234566 again"),  # the pledge is taken by row 2
            line(5, 5_000_000, "no reference"),  # candidates by amount, never chosen
            line(6, 3_000_000, "nothing"),
            line(7, 5_000_000, "1234566 7654320"),  # two references
        ],
        waiting,
        {},
    )
    assert [(r.line.row_number, r.status, r.pledge_pk) for r in results] == [
        (2, StatementLineStatus.MATCHED, 1),
        (3, StatementLineStatus.AMBIGUOUS, 2),
        (4, StatementLineStatus.AMBIGUOUS, 1),
        (5, StatementLineStatus.AMBIGUOUS, None),
        (6, StatementLineStatus.UNMATCHED, None),
        (7, StatementLineStatus.AMBIGUOUS, None),
    ]
    assert "7654320" in results[3].note


def test_a_transfer_confirmed_from_an_earlier_upload_is_already_recorded():
    (result,) = match_lines(
        [line(2, 10_000_000, "1234566", fingerprint="seen")],
        [WaitingPledge(1, "1234566", 10_000_000)],
        {"seen": "Confirmed earlier"},
    )
    assert (result.status, result.note) == (StatementLineStatus.ALREADY, "Confirmed earlier")


# --- Upload and confirm ----------------------------------------------------------------------------------------


@pytest.fixture
def pledges(db):
    first = factories.PledgeFactory(amount_rials=10_000_000)
    second = factories.PledgeFactory(amount_rials=20_000_000)
    return first, second


def statement_of(*pledges_and_amounts) -> bytes:
    rows = [
        f"1405/09/{10 + n},انتقال بابت {pledge.reference},REF-{n},,{amount}"
        for n, (pledge, amount) in enumerate(pledges_and_amounts)
    ]
    return csv_file(*rows)


def test_confirming_a_statement_records_each_matched_pledge_once_with_the_banks_reference(coordinator, pledges):
    first, second = pledges
    content = statement_of((first, 10_000_000), (second, 19_000_000))
    statement, created = statement_upload(actor=coordinator, file_name="azar.csv", content=content)
    assert created
    assert list(statement.lines.values_list("status", flat=True)) == ["matched", "ambiguous"]
    assert LedgerEntry.objects.count() == 0  # reading the statement records nothing

    outcome = statement_confirm_matched(actor=coordinator, statement=statement)
    again = statement_confirm_matched(actor=coordinator, statement=statement)  # a double click

    assert (outcome.confirmed, again.confirmed, again.already) == (1, 0, 0)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.bank_reference, first.received_on) == (
        PledgeStatus.RECEIVED,
        "REF-0",
        dt.date(2026, 12, 1),
    )
    assert second.status == PledgeStatus.PLEDGED  # the amount differs: the coordinator decides
    assert list(LedgerEntry.objects.values_list("kind", "amount_rials")) == [(EntryKind.RECEIVED, 10_000_000)]
    assert first.receipt is not None
    assert AuditLog.objects.filter(action="bank_statement.confirm").count() == 1
    call_command("ledger_check")


def test_a_file_name_with_direction_controls_and_html_is_kept_as_plain_text(coordinator, pledges):
    content = statement_of((pledges[0], 10_000_000))
    statement, _ = statement_upload(actor=coordinator, file_name="\u202e<b>azar</b>.csv", content=content)
    assert statement.file_name == "<b>azar</b>.csv"  # and the page escapes it like any text


def test_the_same_file_uploaded_twice_opens_the_first_upload(coordinator, pledges):
    content = statement_of((pledges[0], 10_000_000))
    first, _ = statement_upload(actor=coordinator, file_name="azar.csv", content=content)
    second, created = statement_upload(actor=coordinator, file_name="azar (1).csv", content=content)
    assert (second.pk, created) == (first.pk, False)
    assert StatementLine.objects.count() == 1


def test_an_overlapping_statement_does_not_pay_a_transfer_twice(coordinator, pledges):
    first, second = pledges
    november = statement_of((first, 10_000_000))
    statement, _ = statement_upload(actor=coordinator, file_name="azar.csv", content=november)
    statement_confirm_matched(actor=coordinator, statement=statement)
    # The quarter's statement holds the same transfer, and one more.
    quarter = statement_of((first, 10_000_000)) + f"1405/09/20,بابت {second.reference},REF-9,,20000000\n".encode()
    later, _ = statement_upload(actor=coordinator, file_name="quarter.csv", content=quarter)
    assert list(later.lines.values_list("status", flat=True)) == ["already", "matched"]
    statement_confirm_matched(actor=coordinator, statement=later)
    assert ledger.donor_given(first.donor_id) == 10_000_000
    assert LedgerEntry.objects.count() == 2


def test_a_pledge_confirmed_by_hand_after_the_upload_is_left_alone(coordinator, pledges):
    first, _ = pledges
    statement, _ = statement_upload(actor=coordinator, file_name="azar.csv", content=statement_of((first, 10_000_000)))
    pledge_confirm(
        pledge=first,
        actor=coordinator,
        amount_received_rials=10_000_000,
        bank_reference="BY-HAND",
        received_on=dt.date(2026, 12, 1),
    )
    outcome = statement_confirm_matched(actor=coordinator, statement=statement)
    assert (outcome.confirmed, outcome.already) == (0, 1)
    assert LedgerEntry.objects.count() == 1
    first.refresh_from_db()
    assert first.bank_reference == "BY-HAND"


def test_a_provincial_coordinator_matches_only_her_provinces_pledges(other_coordinator, pledges):
    statement, _ = statement_upload(
        actor=other_coordinator, file_name="azar.csv", content=statement_of((pledges[0], 10_000_000))
    )
    assert list(statement.lines.values_list("status", "pledge")) == [(StatementLineStatus.UNMATCHED, None)]


# --- The pages -------------------------------------------------------------------------------------------------


def test_a_coordinator_uploads_sees_the_groups_and_confirms_from_the_page(client_for, coordinator, pledges):
    first, second = pledges
    client = client_for(coordinator)
    upload = SimpleUploadedFile("azar.csv", statement_of((first, 10_000_000), (second, 1)), "text/csv")
    response = client.post(reverse("donations:statement-upload"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert 'data-testid="lines-matched"' in page and 'data-testid="lines-ambiguous"' in page
    assert first.reference in page

    statement = BankStatement.objects.get()
    response = client.post(reverse("donations:statement-confirm", kwargs={"pk": statement.pk}), follow=True)
    assert "pledge confirmed" in response.content.decode() or "تأیید شد" in response.content.decode()
    first.refresh_from_db()
    assert first.status == PledgeStatus.RECEIVED


def test_a_file_that_is_not_a_statement_is_refused_on_the_form(client_for, coordinator):
    upload = SimpleUploadedFile("notes.txt", b"hello", "text/plain")
    response = client_for(coordinator).post(reverse("donations:statement-upload"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert BankStatement.objects.count() == 0


def test_another_coordinators_statement_is_not_found(client_for, coordinator, other_coordinator, pledges):
    statement, _ = statement_upload(
        actor=coordinator, file_name="azar.csv", content=statement_of((pledges[0], 10_000_000))
    )
    client = client_for(other_coordinator)
    assert client.get(reverse("donations:statement-detail", kwargs={"pk": statement.pk})).status_code == 404
    assert client.post(reverse("donations:statement-confirm", kwargs={"pk": statement.pk})).status_code == 404
    pledges[0].refresh_from_db()
    assert pledges[0].status == PledgeStatus.PLEDGED
