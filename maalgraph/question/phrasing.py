"""Values and readings as a Danish reader reads them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def show(value: object) -> object:
    """Values as a Danish reader writes them: 10,4; 2021-03-16; integers plain.

    >>> show(Decimal("10.4")), show(Decimal("1745")), show(dt.date(2021, 3, 16))
    ('10,4', 1745, '2021-03-16')
    """
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and "." not in str(value)
            else str(value).replace(".", ",")
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def number(value: Any) -> str:
    """A measured value in Danish notation: thousands with '.', decimals with ','.

    >>> number(Decimal("1745")), number(Decimal("10.4")), number(412)
    ('1.745', '10,4', '412')
    """
    shown = show(value)
    if isinstance(shown, int):
        return f"{shown:,}".replace(",", ".")
    return str(shown)
