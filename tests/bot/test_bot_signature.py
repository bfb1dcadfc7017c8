"""X-Hub-Signature-256 on the raw body (pepctl.bot.signature)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from pepctl.bot.signature import BadSignature, sign, verify

SECRET = b"It's a Secret to Everybody"
BODY = b"Hello, World!"


def test_github_documented_example():
    # GitHub's docs: this secret and body give this signature
    assert sign(SECRET, BODY) == "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    verify(SECRET, BODY, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")


@pytest.mark.parametrize("header, why", [
    (None, "missing"),
    ("", "missing"),
    ("sha1=" + hmac.new(SECRET, BODY, hashlib.sha1).hexdigest(), "only sha256"),
    (hmac.new(SECRET, BODY, hashlib.sha256).hexdigest(), "only sha256"),  # no algorithm
    ("sha256=" + "0" * 64, "does not match"),
    ("sha256=" + hmac.new(b"other secret", BODY, hashlib.sha256).hexdigest(), "does not match"),
    ("sha256=é", "does not match"),
])
def test_refused(header, why):
    with pytest.raises(BadSignature, match=why):
        verify(SECRET, BODY, header)


def test_a_body_changed_after_signing_is_refused():
    header = sign(SECRET, BODY)
    with pytest.raises(BadSignature, match="does not match"):
        verify(SECRET, BODY + b" ", header)
