"""The shell in real Chromium: login, role navigation, admin screens, logout."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _login(page, base, username, password=PASSWORD):
    page.goto(f"{base}/login")
    page.fill("[data-test=login-username] input, input[data-test=login-username]", username)
    page.fill("[data-test=login-password] input, input[data-test=login-password]", password)
    page.click("[data-test=login-submit]")


def test_admin_logs_in_sees_the_dashboard_and_manages_users(page, live_server, users, shoot):
    _login(page, live_server, "admin")
    page.wait_for_selector("[data-test=welcome]")
    assert "Admin" in page.inner_text("[data-test=welcome]")
    page.click("[data-test=nav-users]")
    page.wait_for_selector("[data-test=users-table]")
    page.wait_for_selector("text=engineer2")
    assert page.locator("[data-test=users-table] .el-table__row").count() >= 8
    shoot(page, "users")


def test_engineer_sees_no_admin_navigation(page, live_server, users):
    _login(page, live_server, "engineer")
    page.wait_for_selector("[data-test=welcome]")
    assert page.locator("[data-test=nav-users]").count() == 0
    assert page.locator("[data-test=nav-audit]").count() == 0
    page.goto(f"{live_server}/admin/users")
    page.wait_for_timeout(300)
    assert page.locator("[data-test=users-table]").count() == 0


def test_wrong_password_shows_the_server_message(page, live_server, users):
    _login(page, live_server, "admin", "not-the-password")
    page.wait_for_selector("text=Invalid username or password")
    assert "/login" in page.url


def test_logout_returns_to_login_and_protects_pages(page, live_server, users):
    _login(page, live_server, "admin")
    page.wait_for_selector("[data-test=welcome]")
    page.click("[data-test=user-menu]")
    page.click("[data-test=logout]")
    page.wait_for_url(re.compile(r".*/login.*"))
    page.goto(f"{live_server}/")
    page.wait_for_url(re.compile(r".*/login.*"))
