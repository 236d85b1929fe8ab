from datetime import timedelta

import pytest
from pydantic import TypeAdapter, ValidationError

from bcmlib.models import Duration, Retention, ReturnPeriod


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("4h", timedelta(hours=4)),
        ("7d", timedelta(days=7)),
        ("2w", timedelta(days=14)),
        ("6mo", timedelta(days=180)),
        ("1y", timedelta(days=365)),
        ("1h30m", timedelta(minutes=90)),
        ("immediate", timedelta(0)),
    ],
)
def test_duration_parses_and_keeps_its_text(text: str, expected: timedelta) -> None:
    value = TypeAdapter(Duration).validate_python(text)
    assert value == expected
    assert str(value) == text
    assert TypeAdapter(Duration).dump_python(value) == text


@pytest.mark.parametrize("text", ["", "4", "4 hours", "h4", "≤ 24h", "4h 30m", "-1h", "即时"])
def test_duration_rejects_free_text(text: str) -> None:
    with pytest.raises(ValidationError, match="is not a duration"):
        TypeAdapter(Duration).validate_python(text)


def test_duration_rejects_numbers() -> None:
    with pytest.raises(ValidationError, match="'24' is not a duration"):
        TypeAdapter(Duration).validate_python(24)


def test_return_period_range_and_single() -> None:
    period = TypeAdapter(ReturnPeriod).validate_python("5-10y")
    assert (period.low, period.high) == (timedelta(days=5 * 365), timedelta(days=10 * 365))
    assert str(TypeAdapter(ReturnPeriod).validate_python("6mo")) == "6mo"
    with pytest.raises(ValidationError, match="lower bound"):
        TypeAdapter(ReturnPeriod).validate_python("10-5y")


@pytest.mark.parametrize("text", ["permanent", "while-current", "5y"])
def test_retention_round_trips(text: str) -> None:
    adapter = TypeAdapter(Retention)
    assert adapter.dump_python(adapter.validate_python(text)) == text


def test_retention_rejects_other_text() -> None:
    with pytest.raises(ValidationError, match="not a retention"):
        TypeAdapter(Retention).validate_python("forever")
