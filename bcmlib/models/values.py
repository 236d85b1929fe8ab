"""Typed values the plan writes as short text: durations, return periods and retention periods.

Each keeps the text it was written as, so a value read and written back is unchanged (`7d` stays `7d`,
never `1w`), while comparisons and arithmetic use the time it stands for.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from bcmlib.i18n import Lang, translate

__all__ = ["LONGEST", "Duration", "Percent", "Period", "Retention", "ReturnPeriod", "spoken"]

# Months and years are fixed lengths on purpose: a plan states "every 6 months" as an interval, and a
# 30-day month keeps every comparison exact and reproducible.
_UNITS: dict[str, timedelta] = {
    "y": timedelta(days=365),
    "mo": timedelta(days=30),
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
}
_IMMEDIATE = "immediate"
_PART = re.compile(r"(\d+(?:\.\d+)?)(y|mo|w|d|h|m)")
_DURATION_PATTERN = r"^(immediate|((\d+(\.\d+)?)(y|mo|w|d|h|m))+)$"
_DURATION_HELP = "a duration such as 30m, 4h, 7d, 6mo, 1y, 1h30m, or immediate"


LONGEST = timedelta(days=1000 * 365)
"""The longest length of time a plan can mean (1000y, a rare flood's return period); anything longer
is a typo, and past timedelta's range it would not even be a number."""


def _too_long(text: str) -> PydanticCustomError:
    return PydanticCustomError("too_long", "'{value}' is longer than 1000 years", {"value": text})


def _length(amount: str, unit: str, text: str) -> timedelta:
    """`amount` of `unit` as a timedelta; an amount too large for one is a plan error, not a crash."""
    try:
        return float(amount) * _UNITS[unit]
    except OverflowError:
        raise _too_long(text) from None


def _at_least_a_day(period: Duration) -> Duration:
    if period < timedelta(days=1):
        raise PydanticCustomError("period", "'{value}' is shorter than a day", {"value": str(period)})
    return period


class Duration(timedelta):
    """A length of time written as `30m`, `4h`, `7d`, `2w`, `6mo`, `1y`, `1h30m` or `immediate` (zero)."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, text: str) -> Self:
        """Parse the plan's notation; raise `ValueError` with the accepted forms if it does not parse."""
        value = text.strip()
        total = timedelta(0)
        if value != _IMMEDIATE:
            position = 0
            for match in _PART.finditer(value):
                if match.start() != position:
                    break
                total += _length(match.group(1), match.group(2), text)
                position = match.end()
            if position != len(value) or not value:
                raise PydanticCustomError("duration", "'{value}' is not " + _DURATION_HELP, {"value": text})
        if total > LONGEST:
            raise _too_long(text)
        self = super().__new__(cls, seconds=total.total_seconds())
        self.text = value
        return self

    @classmethod
    def of(cls, elapsed: timedelta) -> Duration:
        """A measured length of time in days, hours and minutes, rounded up to the minute."""
        minutes = -(-elapsed // timedelta(minutes=1))
        days, rest = divmod(max(minutes, 0), 24 * 60)
        parts = [(days, "d"), (rest // 60, "h"), (rest % 60, "m")]
        return _duration("".join(f"{count}{unit}" for count, unit in parts if count) or "0m")

    @property
    def parts(self) -> list[tuple[str, str]]:
        """The amounts and units it is written with, in order: `1h30m` gives `[("1", "h"), ("30", "m")]`.

        `immediate` has none.
        """
        return [(match.group(1), match.group(2)) for match in _PART.finditer(self.text)]

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Duration({self.text!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Duration, (self.text,))

    @classmethod
    def _validate(cls, value: Any) -> Duration:
        if isinstance(value, Duration):
            return value
        return _duration(str(value))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": _DURATION_PATTERN, "description": _DURATION_HELP}


@lru_cache(maxsize=4096)
def _duration(text: str) -> Duration:
    """The duration `text` writes, parsed once and shared.

    A plan repeats a few (`24h`, `4h`) thousands of times, and a Duration never changes. A text that
    does not parse raises each time it is met.
    """
    return Duration(text)


_RANGE = re.compile(r"^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?(y|mo)$")


class ReturnPeriod:
    """How often something happens: once in `N` or in `N`-`M` years or months (`6mo`, `5-10y`)."""

    __slots__ = ("high", "low", "text", "unit")

    def __init__(self, text: str) -> None:
        """Parse the notation; raise `ValueError` if it does not parse or its bounds are reversed."""
        match = _RANGE.match(text.strip())
        if not match:
            raise PydanticCustomError(
                "return_period",
                "'{value}' is not a return period such as 6mo, 5-10y or 10-50y",
                {"value": text},
            )
        low, high, unit = match.group(1), match.group(2) or match.group(1), match.group(3)
        self.low: timedelta = _length(low, unit, text)
        self.high: timedelta = _length(high, unit, text)
        if self.high > LONGEST:
            raise _too_long(text)
        self.text: str = text.strip()
        self.unit: str = unit
        if self.low > self.high:
            raise PydanticCustomError(
                "return_period_order",
                "'{value}': the lower bound is larger than the upper bound",
                {"value": text},
            )

    @property
    def parts(self) -> list[tuple[str, str]]:
        """Its amount, a range where it is one, and its unit as written: `5-10y` gives `[("5-10", "y")]`."""
        return [(self.text.removesuffix(self.unit), self.unit)]

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"ReturnPeriod({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReturnPeriod) and (self.low, self.high) == (other.low, other.high)

    def __hash__(self) -> int:
        return hash((self.low, self.high))

    @classmethod
    def _validate(cls, value: Any) -> ReturnPeriod:
        if isinstance(value, ReturnPeriod):
            return value
        return cls(str(value))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": r"^\d+(\.\d+)?(-\d+(\.\d+)?)?(y|mo)$",
            "description": "how often it happens, once every N (or N-M) years or months: 6mo, 5-10y",
        }


_RETENTION_DURATION = re.compile(r"^\d+(y|mo|d)$")


def _to_retention(value: Any) -> Any:
    if value in ("permanent", "while-current") or isinstance(value, Duration):
        return value
    if isinstance(value, str) and _RETENTION_DURATION.match(value.strip()):
        return Duration(value)
    raise PydanticCustomError(
        "retention",
        "'{value}' is not a retention: permanent, while-current, or a duration such as 5y",
        {"value": value},
    )


Retention = Annotated[
    Literal["permanent", "while-current"] | Duration,
    PlainValidator(_to_retention),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^(permanent|while-current|{_RETENTION_DURATION.pattern[1:-1]})$",
            "description": "how long a record is kept: permanent (永久), while-current (持续), or 5y",
        }
    ),
]
"""How long a record is kept: `permanent`, `while-current` (as long as it is in use) or a duration."""

Period = Annotated[Duration, AfterValidator(_at_least_a_day)]
"""How often something recurs (a drill, a review, a check): at least a day, since the calendar and the
KPIs count occurrences by it, and `12h` or `immediate` would make them loop or divide by zero."""

Percent = Annotated[int, Field(ge=1, le=100)]
"""A share of normal output, in whole percent: `50` is half of what the process does on a normal day."""


def spoken(value: object, lang: Lang) -> object:
    """A length of time in a reader's language (`6mo` is 6 个月); any other value as it is.

    The plan's own spelling (`str(duration)`) stays for YAML; a person reading a page or a finding
    gets words.
    """
    if not isinstance(value, Duration | ReturnPeriod):
        return value
    words = [translate(f"handbook.duration.{unit}", lang, amount=amount) for amount, unit in value.parts]
    return " ".join(words) or translate("handbook.duration.immediate", lang)
