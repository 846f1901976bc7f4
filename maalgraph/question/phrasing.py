"""Values and readings as a Danish reader reads them (numbers: :mod:`maalgraph.numbers`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..numbers import number as _number


def show(value: object, written: object = None) -> object:
    """Values as a Danish reader writes them: 10,4 and 1.745; 2021-03-16; a value the
    document wrote (``written``) as it wrote it; integers (counts, years) plain.

    >>> show(Decimal("10.4")), show(Decimal("1745")), show(dt.date(2021, 3, 16)), show(2020)
    ('10,4', '1.745', '2021-03-16', 2020)
    >>> show(Decimal("10"), "10,0")
    '10,0'
    """
    if isinstance(value, Decimal):
        return _number(value, written)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def number(value: Any, written: object = None) -> str:
    """A measured value in Danish notation: thousands with '.', decimals with ','.

    >>> number(Decimal("1745")), number(Decimal("10.4")), number(412), number(Decimal(10), "10,0")
    ('1.745', '10,4', '412', '10,0')
    """
    return _number(value, written)
