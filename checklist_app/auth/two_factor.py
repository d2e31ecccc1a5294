"""Two-factor log-in: time-based codes from an authenticator app (pyotp) and recovery codes.

The secret is kept on the user; a code is accepted once (a replayed code is refused) within one
30-second step either side. Recovery codes are random, shown once, and stored only as SHA-256
hashes (they carry 50 random bits, so a fast hash is enough); each works once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import select

from checklist_app.auth.models import RecoveryCode, User
from checklist_app.config import service_name
from checklist_app.errors import Refused
from checklist_app.extensions import db

RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class TwoFactorError(Refused):
    """A code was not accepted; the message says what to do."""


def two_factor_required(user: User) -> bool:
    """Whether one of the user's schools asks everyone to log in with two factors."""
    return any(m.school.require_two_factor for m in user.memberships)  # invitations count too


def new_secret() -> str:
    """A fresh base32 secret for an authenticator app."""
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code; the app lists the code
    under the deployment's service name."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email,
                                               issuer_name=service_name(current_app.config))


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG (made here: nothing is fetched from elsewhere)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _matching_counter(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    if not (code.isdigit() and len(code) == 6):
        return None
    for offset in (-1, 0, 1):
        moment = int(now.timestamp()) + offset * totp.interval
        if hmac.compare_digest(totp.at(moment), code):
            return moment // totp.interval
    return None


def check_app_code(user: User, code: str, now: datetime, secret: str | None = None) -> bool:
    """Whether ``code`` is the app's current code (and not one already used); records its use."""
    counter = _matching_counter(secret or user.totp_secret or "", _clean(code), now)
    if counter is None or (user.totp_last_counter is not None and counter <= user.totp_last_counter):
        return False
    user.totp_last_counter = counter
    return True


def _hash_code(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def use_recovery_code(user: User, code: str, now: datetime) -> bool:
    """Whether ``code`` is one of the user's unused recovery codes; marks it used."""
    cleaned = _clean(code)
    if len(cleaned) != 12:
        return False
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_code(cleaned),
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = now
    db.session.flush()
    return True


def check_second_factor(user: User, code: str, now: datetime) -> str | None:
    """Which kind of code was accepted ("app" or "recovery code"), or None."""
    if check_app_code(user, code, now):
        return "app"
    if use_recovery_code(user, code, now):
        return "recovery code"
    return None


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; returns them (shown once)."""
    for old in list(user.recovery_codes):
        user.recovery_codes.remove(old)
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        user.recovery_codes.append(RecoveryCode(code_hash=_hash_code(raw)))
    db.session.flush()
    return codes


def remaining_recovery_codes(user: User) -> int:
    """How many recovery codes the user has not used."""
    return sum(1 for code in user.recovery_codes if code.used_at is None)


def enable(user: User, secret: str, code: str, now: datetime) -> list[str]:
    """Turn two-factor log-in on once the app shows the right code; returns the recovery codes."""
    if not check_app_code(user, code, now, secret=secret):
        raise TwoFactorError("That code is not right. Enter the 6-digit code your app shows now.")
    user.totp_secret = secret
    return new_recovery_codes(user)


def disable(user: User) -> None:
    """Turn two-factor log-in off and delete the recovery codes."""
    user.totp_secret = None
    user.totp_last_counter = None
    for old in list(user.recovery_codes):
        user.recovery_codes.remove(old)
    db.session.flush()
