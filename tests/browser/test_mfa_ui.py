"""Two-factor sign-in in real Chromium, with the production default (Admin must enrol)."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from reqflow.config import MFA_DEFAULT_ROLES
from tests.browser.test_shell import _login


@pytest.fixture(autouse=True)
def production_default(app, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", list(MFA_DEFAULT_ROLES))


def _code(page, value: str) -> None:
    page.fill("input[data-test=mfa-code]", value)
    page.click("[data-test=mfa-submit]")


def _logout(page) -> None:
    page.click("[data-test=user-menu]")
    page.click("[data-test=logout]")
    page.wait_for_url(re.compile(r".*/login.*"))
    page.wait_for_selector("[data-test=login-username]")


def test_admin_enrols_then_signs_in_with_a_code_and_a_recovery_code_once(
    page, live_server, users, shoot
):
    _login(page, live_server, "admin")
    page.wait_for_selector("[data-test=mfa-qr] svg")
    secret = page.inner_text("[data-test=mfa-secret]").strip()
    totp = pyotp.TOTP(secret)
    shoot(page, "enrol")
    _code(page, totp.at(time.time() - 30))  # the previous step: the current one stays fresh
    page.wait_for_selector("[data-test=mfa-recovery-codes]")
    codes = [c.strip() for c in page.locator("[data-test=mfa-recovery-code]").all_inner_texts()]
    assert len(codes) == 10
    shoot(page, "recovery-codes")
    page.click("[data-test=mfa-continue]")
    page.wait_for_selector("[data-test=welcome]")

    _logout(page)
    _login(page, live_server, "admin")
    page.wait_for_selector("input[data-test=mfa-code]")
    assert page.locator("[data-test=mfa-qr]").count() == 0
    _code(page, totp.now())
    page.wait_for_selector("[data-test=welcome]")

    _logout(page)
    _login(page, live_server, "admin")
    _code(page, codes[0])
    page.wait_for_selector("[data-test=welcome]")

    _logout(page)
    _login(page, live_server, "admin")
    _code(page, codes[0])
    page.wait_for_selector("[data-test=mfa-error]")
    assert "code" in page.inner_text("[data-test=mfa-error]").lower()
    assert page.locator("[data-test=welcome]").count() == 0
    shoot(page, "recovery-code-refused")
