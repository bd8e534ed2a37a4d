"""Date parsing for forum metadata: ISO and day/month/year dates in ASCII, Arabic-Indic or Persian
digits, Jalali (Persian calendar) dates, and dates with Arabic, Persian or English month names.

Rules, in order:

* Digits ``٠-٩`` and ``۰-۹`` read as ``0-9``; bidi marks (LRM, RLM, ALM) and surrounding spaces
  are ignored. Separators are ``-``, ``/``, ``.`` or the Arabic date separator ``؍``, the same one
  twice.
* **Ambiguity rule**: a four-digit year first means year/month/day (``2024-03-05`` is 5 March);
  a four-digit year last means day/month/year (``05/03/2024`` is 5 March, never 3 May).
  Two-digit years are not accepted.
* **Calendar rule**: years 1200-1500 are Jalali (``۱۴۰۲/۰۵/۱۲`` is 2023-08-03); other years are
  Gregorian. A month name must agree: ``۱۲ مرداد ۱۴۰۲`` is Jalali, ``۱۲ مرداد ۲۰۲۳`` is rejected.
* A time after the date (``2024-03-15T10:00:00+03:00``) is allowed and dropped: the result is
  the calendar date as written, with no time-zone shift.
* Dates marked Hijri (a trailing ``هـ`` or ``ه.ق``) are rejected rather than misread as Jalali.
  Unmarked Hijri dates (years around 1445) cannot be told apart from Jalali ones and are read
  as Jalali.
* Dates that do not exist (``2024-02-30``, ``1402/13/01``) are rejected.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
import pandas as pd

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_JALALI_YEARS = range(1200, 1501)

_SEP = r"[-/.\u060d]"
_TIME = r"(?:(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
_YEAR_FIRST_RE = re.compile(rf"(?P<y>\d{{4}})(?P<s>{_SEP})(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}}){_TIME}")
_YEAR_LAST_RE = re.compile(rf"(?P<d>\d{{1,2}})(?P<s>{_SEP})(?P<m>\d{{1,2}})(?P=s)(?P<y>\d{{4}}){_TIME}")
_NAME = r"(?P<name>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
# "12 مرداد 1402", "15 مارس، 2024", "15-Mar-2024" and "March 15, 2024".
_DAY_NAME_YEAR_RE = re.compile(rf"(?P<d>\d{{1,2}})[\s-]*{_NAME}[\s,،-]*(?P<y>\d{{4}})")
_NAME_DAY_YEAR_RE = re.compile(rf"{_NAME}\s+(?P<d>\d{{1,2}})\s*[,،]?\s+(?P<y>\d{{4}})")
_HIJRI_MARK_RE = re.compile(r"\s*(?:هـ|ه\s*\.\s*ق)\s*\.?$")

# Month names by calendar and month number. Spellings are folded with _fold_name before lookup.
_GREGORIAN_MONTHS = [
    "january jan يناير كانون_الثاني جانفي ژانویه",
    "february feb فبراير شباط فيفري فوریه",
    "march mar مارس آذار",
    "april apr أبريل نيسان أفريل آوریل",
    "may مايو أيار ماي مه می",
    "june jun يونيو يونيه حزيران جوان ژوئن",
    "july jul يوليو يوليه تموز جويلية ژوئیه جولای",
    "august aug أغسطس آب أوت اوت آگوست",
    "september sep sept سبتمبر أيلول سپتامبر",
    "october oct أكتوبر تشرين_الأول اکتبر",
    "november nov نوفمبر تشرين_الثاني نوامبر",
    "december dec ديسمبر كانون_الأول دسامبر",
]
_JALALI_MONTHS = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند"
_NAME_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "_": " ", "\u200c": " "}
)


def _fold_name(name: str) -> str:
    return " ".join(name.lower().translate(_NAME_FOLD).split())


_MONTH_NAMES: dict[str, tuple[str, int]] = {
    **{_fold_name(n): ("gregorian", i) for i, names in enumerate(_GREGORIAN_MONTHS, 1) for n in names.split()},
    **{_fold_name(n): ("jalali", i) for i, n in enumerate(_JALALI_MONTHS.split(), 1)},
}


def is_blank(value: object) -> bool:
    """True when ``value`` holds no date at all (None, NaN, NaT or only spaces), as opposed to an
    unparseable one.

    >>> is_blank(" "), is_blank(float("nan")), is_blank("yesterday")
    (True, True, False)
    """
    if isinstance(value, str):
        return not value.translate(_BIDI_MARKS).strip()
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def parse_date(text: object) -> dt.date | None:
    """Parse one date written in any of the forms this module accepts; None when missing or invalid.

    Date and datetime objects (including pandas Timestamps and jdatetime dates) pass through as
    Gregorian dates.

    >>> parse_date("۱۴۰۲/۰۵/۱۲")
    datetime.date(2023, 8, 3)
    >>> parse_date("١٥/٠٣/٢٠٢٤"), parse_date("2024-02-30")
    (datetime.date(2024, 3, 15), None)
    """
    if is_blank(text):
        return None
    if isinstance(text, jdatetime.date):
        return _date_only(text.togregorian())
    if isinstance(text, dt.date):
        return _date_only(text)
    if not isinstance(text, str):
        return None
    return _parse_text(text.translate(_DIGITS).translate(_BIDI_MARKS).strip())


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse a column of dates to pandas Timestamps (``datetime64[s]``); NaT where missing or invalid.

    Each distinct value is parsed once, so a date repeated on every passage of a document is cheap.

    >>> parse_dates(pd.Series(["2024-03-15", "۱۴۰۳/۰۱/۰۱", "soon"])).dt.strftime("%Y-%m-%d").tolist()
    ['2024-03-15', '2024-03-20', nan]
    """
    codes, uniques = pd.factorize(values)
    parsed = [parse_date(value) for value in uniques]
    dates = [parsed[code] if code >= 0 else None for code in codes]
    return pd.Series(pd.to_datetime(dates), index=values.index, name=values.name).astype("datetime64[s]")


def _date_only(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _parse_text(text: str) -> dt.date | None:
    if _HIJRI_MARK_RE.search(text):
        return None
    for pattern in (_YEAR_FIRST_RE, _YEAR_LAST_RE):
        match = pattern.fullmatch(text)
        if match:
            year = int(match["y"])
            return _make_date(_calendar_of(year), year, int(match["m"]), int(match["d"]))
    return _parse_month_name(text)


def _parse_month_name(text: str) -> dt.date | None:
    match = _DAY_NAME_YEAR_RE.fullmatch(text) or _NAME_DAY_YEAR_RE.fullmatch(text)
    if not match:
        return None
    calendar, month = _MONTH_NAMES.get(_fold_name(match["name"]), ("", 0))
    year = int(match["y"])
    if calendar != _calendar_of(year):
        return None
    return _make_date(calendar, year, month, int(match["d"]))


def _calendar_of(year: int) -> str:
    return "jalali" if year in _JALALI_YEARS else "gregorian"


def _make_date(calendar: str, year: int, month: int, day: int) -> dt.date | None:
    try:
        if calendar == "jalali":
            return jdatetime.date(year, month, day).togregorian()
        return dt.date(year, month, day)
    except ValueError:
        return None
