"""The page-load measurement borrows the browser fixtures of tests/browser."""

from tests.browser.conftest import _spa_built, browser, page  # noqa: F401 - fixtures
from tests.browser.test_dashboard_ui import tabs  # noqa: F401 - fixture
