"""GitHub's webhook signature: ``X-Hub-Signature-256: sha256=<hex HMAC of the raw body>``.

Checked on the raw bytes, before anything is parsed, in constant time (``hmac.compare_digest``).
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "x-hub-signature-256"
PREFIX = "sha256="


class BadSignature(Exception):
    """The request is not signed with the webhook secret; str() says why, for the 401 body."""


def sign(secret: bytes, body: bytes) -> str:
    """The header value GitHub sends for ``body``."""
    return PREFIX + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(secret: bytes, body: bytes, header: str | None) -> None:
    """Raise BadSignature unless ``header`` is the SHA-256 HMAC of ``body`` under ``secret``."""
    if not header:
        raise BadSignature("missing X-Hub-Signature-256 header")
    algorithm, sep, digest = header.strip().partition("=")
    if not sep or algorithm.lower() != "sha256":
        raise BadSignature(f"unsupported signature algorithm {algorithm!r}: only sha256 is accepted")
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    # compare_digest on ASCII bytes: a non-ASCII header compares unequal instead of raising
    if not hmac.compare_digest(expected.encode("ascii"), digest.strip().lower().encode("ascii", "replace")):
        raise BadSignature("signature does not match the body")
