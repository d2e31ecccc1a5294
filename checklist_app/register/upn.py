"""Unique pupil numbers (UPN): 13 characters, the first a check letter the DfE computes from the rest."""

from __future__ import annotations

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # value 0..22; I, O and S are never used


def check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (11 digits, then a digit or a letter)."""
    total = 0
    for weight, char in enumerate(body, start=2):
        value = int(char) if char.isdigit() else CHECK_LETTERS.index(char)
        total += weight * value
    return CHECK_LETTERS[total % 23]


def upn_problem(upn: str) -> str | None:
    """Why ``upn`` is not a valid UPN, in plain words, or ``None`` when it is."""
    if len(upn) != 13:
        return f"a UPN has 13 characters; this one has {len(upn)}"
    body = upn[1:]
    if not body[:11].isdigit() or not (body[11].isdigit() or body[11] in CHECK_LETTERS):
        return "after its first letter, a UPN has 11 digits then a digit or a letter"
    if upn[0] not in CHECK_LETTERS:
        return "a UPN starts with a check letter"
    expected = check_letter(body)
    if upn[0] != expected:
        return f"the check letter does not match the rest of the UPN (it should be {expected})"
    return None


def make_upn(la_code: int, establishment: int, serial: int) -> str:
    """A valid permanent UPN from its parts (for demo data and tests)."""
    body = f"{la_code:03d}{establishment:04d}{serial:05d}"
    return check_letter(body) + body
