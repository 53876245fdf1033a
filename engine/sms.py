"""SMS parts: how many billed parts a text takes, by the GSM 03.38 rules.

A text every character of which is in the GSM-7 alphabet (its basic table, or its extension
table, whose characters take two septets: an escape and the character) goes as GSM-7: one part
of up to 160 septets, or parts of 153 each when it is longer (the rest is the concatenation
header). Any other character (Cyrillic, most emoji) makes the whole text UCS-2: one part of up
to 70 UTF-16 units, or parts of 67 each. An extension character's two septets, and an emoji's two
UTF-16 units, are never split between two parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
SINGLE = {"GSM-7": 160, "UCS-2": 70}
MULTI = {"GSM-7": 153, "UCS-2": 67}


@dataclass(frozen=True)
class SmsParts:
    """How a text goes as SMS.

    Attributes:
        encoding: ``GSM-7`` or ``UCS-2``.
        characters: Its length as the encoding counts it: septets (an extension character is 2),
            or UTF-16 units (an emoji outside the basic plane is 2).
        parts: The billed parts (0 for an empty text).
    """

    encoding: str
    characters: int
    parts: int

    def to_json(self) -> dict[str, object]:
        """Plain values."""
        return {"encoding": self.encoding, "characters": self.characters, "parts": self.parts}


def _units(text: str, encoding: str) -> list[int]:
    """The size of each character in the encoding's units."""
    if encoding == "GSM-7":
        return [2 if c in GSM7_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def sms_parts(text: str) -> SmsParts:
    """The encoding, the length and the parts of an SMS text."""
    encoding = "GSM-7" if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text) else "UCS-2"
    units = _units(text, encoding)
    total = sum(units)
    if total == 0:
        return SmsParts(encoding, 0, 0)
    if total <= SINGLE[encoding]:
        return SmsParts(encoding, total, 1)
    size, parts, used = MULTI[encoding], 1, 0
    for unit in units:  # greedy, so that a two-unit character never straddles two parts
        if used + unit > size:
            parts, used = parts + 1, 0
        used += unit
    return SmsParts(encoding, total, parts)


def sms_nodes(scenario: Any) -> frozenset[str]:
    """The ids of the scenario's SMS message nodes (those whose parts are counted)."""
    return frozenset(n.id for n in scenario.nodes if n.type == "message" and n.params.get("channel") == "sms")
