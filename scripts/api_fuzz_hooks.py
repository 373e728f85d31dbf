"""Schemathesis hooks for scripts/api-fuzz: rules the OpenAPI document cannot state.

The document declares every rule of a single value. Three rules relate a value to another
value or to the clock, which JSON Schema cannot express; the server enforces them (and its
own tests cover them), so a generated request that breaks one is refused with 400 although
each value is schema-valid. For data generated as valid (positive cases) only, these hooks
bring such values within the rules before the request is sent:

- `from` after `to` (SPEC §5.4, §6.3, §7.1): the two days are swapped.
- a stats range longer than 366 days, or `from` after today without `to` (SPEC §7.1):
  `from` moves to the last day allowed.
- a revenue `timestamp` more than 5 minutes ahead (SPEC §6.1): its year becomes 2000
  (a leap year, so 29 February stays a real day).
- a revenue record naming both a click and an offer (SPEC §6.1: they must agree,
  `offer_mismatch`): whether they agree depends on stored data, so the optional one of the
  two is dropped (the offer, but on `/conv/offer`, the click).

Amounts sent as JSON numbers are rounded to 4 decimal places: the document says
`multipleOf: 0.0001`, but generators build such numbers by multiplying, which leaves binary
noise (0.30000000000000004) that the server rightly reads as more than 4 decimals.

Negative cases are never touched: they must reach the server as generated.
"""

import datetime
import re

import schemathesis

_DAY = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_TIME = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"([Zz]|[+\-\u2212][0-9]{2}:[0-9]{2})?$"
)
_MAX_RANGE_DAYS = 366
_AMOUNT_FIELDS = ("payout", "revenue")


def _is_positive(case):
    meta = case.meta
    return meta is None or meta.generation.mode.is_positive


def _day(text):
    """A query day as a date; year 0000 (valid for the server, not for Python) reads as
    2000, another leap year."""
    if not isinstance(text, str):
        return None
    match = _DAY.match(text)
    if match is None:
        return None
    year = int(match.group(1)) or 2000
    try:
        return datetime.date(year, int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _fix_days(case):
    query = case.query
    if not isinstance(query, dict):
        return
    stats = case.operation.path.endswith("/stats") or case.operation.path == "/api/v2/stats/offers"
    start, end = _day(query.get("from")), _day(query.get("to"))
    if "from" in query and start is not None:
        query["from"] = start.isoformat()
    if "to" in query and end is not None:
        query["to"] = end.isoformat()
    if start is not None and end is not None and start > end:
        query["from"], query["to"] = query["to"], query["from"]
        start, end = end, start
    if stats and start is not None:
        last = end if end is not None else datetime.datetime.now(datetime.timezone.utc).date()
        earliest = last - datetime.timedelta(days=_MAX_RANGE_DAYS - 1)
        if start > last or start < earliest:
            query["from"] = max(min(start, last), earliest).isoformat()


def _past(text):
    """A timestamp moved to the year 2000 when it is ahead of now."""
    if not isinstance(text, str):
        return text
    match = _TIME.match(text)
    if match is None:
        return text
    year, month, day, hour, minute, second = (int(group) for group in match.groups()[:6])
    try:
        moment = datetime.datetime(
            year or 2000, month, day, hour, minute, min(second, 59), tzinfo=datetime.timezone.utc
        )
    except ValueError:
        return text
    # Any offset shifts a time by less than a day.
    if moment < datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1):
        return text
    return "2000" + text[4:]


def _drop_second_subject(record, keep):
    """Keeps only `keep` of `click_id` and `offer_id` when both are sent."""
    if all(record.get(field) not in (None, "") for field in ("click_id", "offer_id")):
        del record["offer_id" if keep == "click_id" else "click_id"]


def _fix_record(record):
    if not isinstance(record, dict):
        return
    _drop_second_subject(record, "click_id")
    if "timestamp" in record:
        record["timestamp"] = _past(record["timestamp"])
    for field in _AMOUNT_FIELDS:
        value = record.get(field)
        if isinstance(value, float):
            record[field] = round(value, 4)


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if not _is_positive(case):
        return
    _fix_days(case)
    if isinstance(case.query, dict) and case.operation.path.startswith("/conv"):
        if "timestamp" in case.query:
            case.query["timestamp"] = _past(case.query["timestamp"])
        keep = "offer_id" if case.operation.path == "/conv/offer" else "click_id"
        _drop_second_subject(case.query, keep)
    body = case.body
    if isinstance(body, dict):
        _fix_record(body)
        records = body.get("records")
        if isinstance(records, list):
            for record in records:
                _fix_record(record)
