"""Thin resources: /auth/mfa/* (the second login step, enrolment, recovery codes) and the
admin's MFA reset."""

from __future__ import annotations

from flask import Blueprint
from flask_restful import Resource

from reqflow.core.api import make_api
from reqflow.core.envelope import ok
from reqflow.core.rbac import current_user, login_required, require_permission
from reqflow.core.schemas import load
from reqflow.extensions import limiter
from reqflow.identity import auth, mfa, service
from reqflow.identity.resources import _login_limit, _token_response
from reqflow.identity.schemas import (
    LoginResult,
    MfaChallengeRequest,
    MfaCodeRequest,
    MfaEnrolled,
    MfaSetup,
    MfaStatus,
    MfaVerifyRequest,
    RecoveryCodes,
)

bp = Blueprint("mfa", __name__)
api = make_api(bp)


class MfaVerify(Resource):
    schemas = {
        "post": {
            "body": MfaVerifyRequest,
            "response": LoginResult,
            "key": None,
            "public": True,
            "errors": [401],
        }
    }
    decorators = [limiter.limit(_login_limit, methods=["POST"])]

    def post(self):
        """Second login step: the challenge from ``/auth/login`` and a TOTP or recovery code."""
        user = mfa.verify_challenge(**load(MfaVerifyRequest()))
        auth.complete_login(user)
        return _token_response(user, auth.issue_tokens(user), "Logged in")


class MfaEnrol(Resource):
    schemas = {
        "post": {
            "body": MfaChallengeRequest,
            "response": MfaSetup,
            "key": None,
            "public": True,
            "errors": [401],
        }
    }
    decorators = [limiter.limit(_login_limit, methods=["POST"])]

    def post(self):
        """Enrolment at login (enrolment challenge): a new secret and its QR code."""
        user = mfa.enrolment_user(load(MfaChallengeRequest())["challenge"])
        return ok(mfa.begin_setup(user), "Scan the QR code, then confirm a code")


class MfaEnrolConfirm(Resource):
    schemas = {
        "post": {
            "body": MfaVerifyRequest,
            "response": MfaEnrolled,
            "key": None,
            "public": True,
            "errors": [401],
        }
    }
    decorators = [limiter.limit(_login_limit, methods=["POST"])]

    def post(self):
        """Enrolment at login: confirm a code; signs in and shows the recovery codes once."""
        user, codes = mfa.activate_with_challenge(**load(MfaVerifyRequest()))
        auth.complete_login(user)
        tokens = auth.issue_tokens(user)
        return _token_response(user, tokens, "MFA enabled", {"recovery_codes": codes})


class MfaState(Resource):
    schemas = {"get": {"response": MfaStatus, "key": None}}

    @login_required
    def get(self):
        """The caller's second factor: enabled, required by the role, recovery codes left."""
        return ok(MfaStatus().dump(mfa.status(current_user())), "MFA status")


class MfaSetupStart(Resource):
    schemas = {"post": {"response": MfaSetup, "key": None}}

    @login_required
    def post(self):
        """Start enrolment from the profile: a new secret and its QR code."""
        return ok(mfa.begin_setup(current_user()), "Scan the QR code, then confirm a code")


class MfaActivate(Resource):
    schemas = {"post": {"body": MfaCodeRequest, "response": RecoveryCodes, "key": None}}

    @login_required
    def post(self):
        """Confirm the pending secret with a code; the recovery codes are shown this once."""
        codes = mfa.activate(current_user(), load(MfaCodeRequest())["code"])
        return ok({"recovery_codes": codes}, "MFA enabled")


class MfaDisable(Resource):
    schemas = {"post": {"body": MfaCodeRequest, "response": MfaStatus, "key": None}}

    @login_required
    def post(self):
        """Turn MFA off (roles that do not require it), proven with a code."""
        user = current_user()
        mfa.disable(user, load(MfaCodeRequest())["code"])
        return ok(MfaStatus().dump(mfa.status(user)), "MFA disabled")


class MfaRecoveryCodes(Resource):
    schemas = {"post": {"body": MfaCodeRequest, "response": RecoveryCodes, "key": None}}

    @login_required
    def post(self):
        """Replace the recovery codes (proven with a TOTP code); shown this once."""
        codes = mfa.regenerate_recovery_codes(current_user(), load(MfaCodeRequest())["code"])
        return ok({"recovery_codes": codes}, "Recovery codes replaced")


class UserMfaReset(Resource):
    schemas = {"post": {"response": MfaStatus, "key": None}}

    @require_permission("user", "manage")
    def post(self, user_id: int):
        """Admin: remove a user's second factor (audited); they enrol again at login."""
        user = service.get_user(user_id)
        mfa.reset(actor=current_user(), user=user)
        return ok(MfaStatus().dump(mfa.status(user)), "MFA reset")


api.add_resource(MfaVerify, "/auth/mfa/verify")
api.add_resource(MfaEnrol, "/auth/mfa/enrol")
api.add_resource(MfaEnrolConfirm, "/auth/mfa/enrol/confirm")
api.add_resource(MfaState, "/auth/mfa")
api.add_resource(MfaSetupStart, "/auth/mfa/setup")
api.add_resource(MfaActivate, "/auth/mfa/activate")
api.add_resource(MfaDisable, "/auth/mfa/disable")
api.add_resource(MfaRecoveryCodes, "/auth/mfa/recovery-codes")
api.add_resource(UserMfaReset, "/users/<int:user_id>/mfa/reset")
