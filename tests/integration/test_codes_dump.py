"""The SPA's list of user-visible codes (frontend/src/i18n/codes.json) is the backend's, current."""

from __future__ import annotations

import json

from reqflow.codes import CODES_FILE, collect, render


def test_the_committed_codes_file_is_current(app):
    with app.app_context():
        assert CODES_FILE.read_text() == render(), "run `flask codes-dump` and commit the file"


def test_codes_cover_statuses_permissions_audit_actions_and_errors(app):
    with app.app_context():
        codes = collect()
    assert "Draft" in codes["status"]["requisition"]
    assert "Pending Approval" in codes["status"]["purchase_order"]
    assert "requisition:create" in codes["permission"]
    assert "requisition.step_approve" in codes["audit_action"]
    assert "PRICE_OVER_TOLERANCE" in codes["match_reason"]
    assert {"VALIDATION_ERROR", "INSUFFICIENT_STOCK", "STALE_VERSION"} <= set(codes["error"])
    assert all(not name.startswith("_") for name in codes["event_type"])


def test_codes_dump_writes_the_file(app, tmp_path):
    out = tmp_path / "codes.json"
    result = app.test_cli_runner().invoke(args=["codes-dump", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert json.loads(out.read_text()) == collect()
