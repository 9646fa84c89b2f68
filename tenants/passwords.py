"""Password hashing: argon2id, with weaker or legacy hashes upgraded at the next login."""
from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context
from werkzeug.security import check_password_hash

# OWASP's argon2id baseline (m=19 MiB, t=2, p=1) raised to RFC 9106's second choice m=64 MiB, t=3.
_STRONG = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=1, type=Type.ID)
# For the test suite only: valid argon2id, cheap to compute.
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    if has_app_context() and current_app.config.get("PASSWORD_HASH_FAST"):
        return _FAST
    return _STRONG


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Check ``password``; return (ok, new_hash) where new_hash is set if it must be rehashed."""
    if not stored_hash:
        return False, None
    hasher = _hasher()
    if stored_hash.startswith("$argon2"):
        try:
            hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False, None
        if stored_hash.startswith("$argon2id$") and not hasher.check_needs_rehash(stored_hash):
            return True, None
        return True, hasher.hash(password)
    # Legacy hashes (werkzeug pbkdf2/scrypt) from imported accounts: verify once, upgrade.
    try:
        ok = check_password_hash(stored_hash, password)
    except (ValueError, TypeError):
        return False, None
    return (True, hasher.hash(password)) if ok else (False, None)


_DUMMY_HASHES: dict[int, str] = {}


def dummy_hash() -> str:
    """A hash of a random password with the current parameters, to verify against when the
    account does not exist (equal work either way)."""
    hasher = _hasher()
    key = id(hasher)
    if key not in _DUMMY_HASHES:
        import secrets

        _DUMMY_HASHES[key] = hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY_HASHES[key]
