"""Roles and PIN hashing (salted scrypt, slow on purpose) for sign-in."""

from __future__ import annotations

import hashlib
import hmac
from enum import IntEnum

from jitdesk.domain.errors import BadInput

_N, _R, _P = 2**14, 8, 1


class Role(IntEnum):
    OPERATOR = 1
    SUPERVISOR = 2
    ADMIN = 3

    @classmethod
    def parse(cls, name: str) -> Role:
        try:
            return cls[name.upper()]
        except KeyError:
            raise BadInput(f"unknown role '{name}' (operator, supervisor or admin)") from None

    @property
    def label(self) -> str:
        return self.name.lower()


ROLE_NAMES = tuple(r.label for r in Role)


def check_pin_format(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise BadInput("a PIN is 4 to 12 digits")


def hash_pin(pin: str, salt: bytes) -> str:
    check_pin_format(pin)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt_hex, digest_hex = stored.split("$")
        if algo != "scrypt":
            return False
        digest = hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)
