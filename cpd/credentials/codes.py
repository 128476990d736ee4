"""Verification codes of CPD transcripts and certificates: twelve characters from an alphabet
without look-alikes (no 0/O, 1/I/L), shown in three groups of four (K7QM-3XHD-9TPA), typed by
a person reading a printed page. 31 characters to the twelfth power is about 2^59: a code
cannot be guessed, and the public check is rate limited besides."""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4


def new_code() -> str:
    """A fresh code, stored without dashes."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalized(typed: str) -> str | None:
    """A typed code as stored: dashes and spaces dropped, upper case; None when it cannot be
    one of ours (wrong length or a character outside the alphabet)."""
    code = "".join((typed or "").split()).replace("-", "").upper()
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def grouped(code: str) -> str:
    """The code as printed: ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
