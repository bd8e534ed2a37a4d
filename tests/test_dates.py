from __future__ import annotations

import datetime as dt

import jdatetime
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forumminer.summary.dates import is_blank, parse_date, parse_dates

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

VALID_CASES = [
    ("2024-03-15", dt.date(2024, 3, 15)),
    # a time (and a time zone) after the date is dropped, never shifted to another day
    ("2024-03-15T10:00:00", dt.date(2024, 3, 15)),
    ("2024-03-15T23:30:00-05:00", dt.date(2024, 3, 15)),
    ("2024-03-15 10:00", dt.date(2024, 3, 15)),
    ("2024/03/15", dt.date(2024, 3, 15)),
    # year last: always day/month/year, never the US month/day/year
    ("15/03/2024", dt.date(2024, 3, 15)),
    ("05/03/2024", dt.date(2024, 3, 5)),
    ("15-03-2024", dt.date(2024, 3, 15)),
    ("15.03.2024", dt.date(2024, 3, 15)),
    # single-digit day and month
    ("2024-3-5", dt.date(2024, 3, 5)),
    # Arabic-Indic digits, as Arabic forums print them
    ("١٥/٠٣/٢٠٢٤", dt.date(2024, 3, 15)),
    ("٢٠٢٤-٠٣-١٥", dt.date(2024, 3, 15)),
    # the Arabic date separator U+060D
    ("١٥؍٠٣؍٢٠٢٤", dt.date(2024, 3, 15)),
    # Persian digits with a Gregorian year
    ("۲۰۲۴/۰۳/۱۵", dt.date(2024, 3, 15)),
    # Jalali: years 1200-1500 are the Persian calendar
    ("۱۴۰۲/۰۵/۱۲", dt.date(2023, 8, 3)),
    ("1402-05-12", dt.date(2023, 8, 3)),
    # Nowruz, the first day of 1403
    ("1403/01/01", dt.date(2024, 3, 20)),
    # last day of 1401 (not a leap year: Esfand has 29 days)
    ("1401/12/29", dt.date(2023, 3, 20)),
    # 1403 is a leap year: Esfand 30 exists
    ("1403/12/30", dt.date(2025, 3, 20)),
    # Jalali with the year last is day/month/year too
    ("۱۲/۰۵/۱۴۰۲", dt.date(2023, 8, 3)),
    # right-to-left marks around a date copied from a Persian page are ignored
    ("\u200f۱۴۰۲/۰۵/۱۲\u200f", dt.date(2023, 8, 3)),
    (" 2024-03-15 ", dt.date(2024, 3, 15)),
    # month names: Jalali month name with a Jalali year
    ("۱۲ مرداد ۱۴۰۲", dt.date(2023, 8, 3)),
    # Persian spelling of a Gregorian month
    ("۱۵ مارس ۲۰۲۴", dt.date(2024, 3, 15)),
    # Egyptian/Gulf month name with the Arabic comma
    ("15 مارس، 2024", dt.date(2024, 3, 15)),
    # Levantine two-word month name; hamza on alef is folded (الاول = الأول)
    ("١ تشرين الاول ٢٠٢٣", dt.date(2023, 10, 1)),
    # Maghrebi month name
    ("3 جانفي 2024", dt.date(2024, 1, 3)),
    ("March 15, 2024", dt.date(2024, 3, 15)),
    ("15-Mar-2024", dt.date(2024, 3, 15)),
    # date-like objects pass through
    (pd.Timestamp("2024-03-15 18:00"), dt.date(2024, 3, 15)),
    (dt.date(2024, 3, 15), dt.date(2024, 3, 15)),
    (jdatetime.date(1402, 5, 12), dt.date(2023, 8, 3)),
]


@pytest.mark.parametrize(("text", "expected"), VALID_CASES)
def test_parse_date_table(text: object, expected: dt.date) -> None:
    assert parse_date(text) == expected


INVALID_CASES = [
    # 2024 is a leap year but February never has 30 days
    "2024-02-30",
    "2023-02-29",
    # Jalali has 12 months
    "1402/13/01",
    # 1402 is not a Jalali leap year: no Esfand 30
    "1402/12/30",
    "2024-00-10",
    # mixed separators are refused rather than guessed
    "2024-03/15",
    # two-digit years are ambiguous
    "15/03/24",
    # a bare year or a relative date is not a date
    "2024",
    "قبل يومين",
    "yesterday",
    # marked Hijri: not read as Jalali
    "١٤٤٥/٠٣/١٥ هـ",
    "1445/03/15 ه.ق",
    # a Gregorian month name cannot go with a Jalali year, nor the reverse
    "۱۲ مارس ۱۴۰۲",
    "۱۲ مرداد ۲۰۲۳",
    "12 Smarch 2024",
    12345,
]


@pytest.mark.parametrize("text", INVALID_CASES)
def test_invalid_dates_are_none(text: object) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(("value", "blank"), [(None, True), (float("nan"), True), (pd.NaT, True), ("", True),
                                              (" \u200f ", True), ("yesterday", False), ("2024-01-01", False)])
def test_is_blank_tells_missing_from_unparseable(value: object, blank: bool) -> None:
    assert is_blank(value) is blank


def test_parse_dates_keeps_index_and_name_and_gives_nat() -> None:
    values = pd.Series(["2024-03-15", None, "soon", "۱۴۰۳/۰۱/۰۱", "2024-03-15"], index=range(10, 15), name="date")
    parsed = parse_dates(values)
    assert parsed.name == "date"
    assert list(parsed.index) == [10, 11, 12, 13, 14]
    assert pd.api.types.is_datetime64_any_dtype(parsed)
    assert parsed.isna().tolist() == [False, True, True, False, False]
    assert parsed[13] == pd.Timestamp("2024-03-20")


def test_parse_dates_of_float_nan_column() -> None:
    # a date column read from CSV with every cell empty is float NaN
    assert parse_dates(pd.Series([float("nan")] * 3)).isna().all()


@given(st.dates(min_value=dt.date(1501, 1, 1)), st.sampled_from([PERSIAN, ARABIC_INDIC]), st.sampled_from("-/"))
def test_gregorian_iso_in_eastern_digits_round_trips(date: dt.date, digits: dict[int, str], sep: str) -> None:
    text = date.strftime(f"%Y{sep}%m{sep}%d").translate(digits)
    assert parse_date(text) == date


@given(st.dates(min_value=dt.date(1501, 1, 1)), st.sampled_from([PERSIAN, ARABIC_INDIC]))
def test_gregorian_day_month_year_round_trips(date: dt.date, digits: dict[int, str]) -> None:
    assert parse_date(date.strftime("%d/%m/%Y").translate(digits)) == date


ASCII = str.maketrans("", "")


@given(st.integers(1200, 1500), st.integers(1, 12), st.integers(1, 31), st.sampled_from([PERSIAN, ASCII]))
def test_jalali_dates_agree_with_jdatetime(year: int, month: int, day: int, digits: dict[int, str]) -> None:
    try:
        expected: dt.date | None = jdatetime.date(year, month, day).togregorian()
    except ValueError:
        expected = None  # e.g. Mehr 31 or Esfand 30 of a common year
    assert parse_date(f"{year}/{month:02d}/{day:02d}".translate(digits)) == expected


@given(st.dates(min_value=dt.date(1821, 3, 21), max_value=dt.date(2122, 3, 20)))
def test_gregorian_date_round_trips_through_its_jalali_form(date: dt.date) -> None:
    jalali = jdatetime.date.fromgregorian(date=date)
    assert parse_date(jalali.strftime("%Y/%m/%d").translate(PERSIAN)) == date
