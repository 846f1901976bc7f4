"""Numbers as a Danish reader writes them, in one place for the command line, the answers
and the web page: thousands with '.', decimals with ',', a space before '%'. A value the
document wrote keeps the form it was written in: a store keeps only the number (10,0 becomes
10), so measurements carry their text (``maal:valueText``) and :func:`number` prefers it.
"""

from __future__ import annotations

from decimal import Decimal


def number(value: object, written: object = None) -> str:
    """``value`` in Danish notation, with as many decimals as the document wrote it with
    (``written``: "10,0" keeps its ",0" although the store kept 10).

    >>> number(Decimal("1745")), number(Decimal("10.4")), number(412), number(-1648)
    ('1.745', '10,4', '412', '-1.648')
    >>> number(Decimal("10"), "10,0"), number(Decimal("1648"), "1648"), number(0.0211)
    ('10,0', '1.648', '0,021')
    >>> number(Decimal("1234.50")), number("ikke et tal")
    ('1.234,50', 'ikke et tal')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, float):
        value = Decimal(f"{value:.3f}").normalize() if value else Decimal(0)
    if isinstance(value, int):
        value = Decimal(value)
    if not value.is_finite():
        return str(value)
    decimals = _decimals(written)
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
    sign = "-" if value < 0 else ""
    whole, _, fraction = format(abs(value), "f").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def _decimals(written: object) -> int | None:
    """How many decimals a number written the Danish way has ("10,0": 1; "1.745": 0)."""
    text = str(written or "").strip()
    if not text or not any(c.isdigit() for c in text):
        return None
    return len(text.rpartition(",")[2]) if "," in text else 0


def signed(value: object) -> str:
    """A change with its sign: +97, -2,5, 0.

    >>> signed(Decimal("97")), signed(Decimal("-2.5")), signed(0)
    ('+97', '-2,5', '0')
    """
    text = number(value)
    return "+" + text if isinstance(value, (int, float, Decimal)) and value > 0 else text


def percent(share: float, decimals: int = 0, *, sign: bool = False) -> str:
    """A share (0.33) as a Danish percentage: '33 %', '+5,9 %'.

    >>> percent(1 / 3), percent(0.0593, 1, sign=True), percent(1.0)
    ('33 %', '+5,9 %', '100 %')
    """
    value = Decimal(f"{share * 100:.{decimals}f}")
    return (signed(value) if sign else number(value)) + " %"


__all__ = ["number", "percent", "signed"]
