from __future__ import annotations

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from reqflow.core.schemas import BaseSchema, QuerySchema, UTCDateTimeField, derived, derived_text
from reqflow.identity.permissions import Role

ROLES = [r.value for r in Role]
USERNAME = validate.Regexp(r"^[A-Za-z0-9_.-]{3,80}$", error="3-80 letters, digits, . _ -")


class LoginRequest(BaseSchema):
    username = fields.String(validate=validate.Length(min=1, max=254))
    email = fields.String(validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))

    @validates_schema
    def one_identifier(self, data: dict, **_: object) -> None:
        if not data.get("username") and not data.get("email"):
            raise ValidationError("Give a username or an e-mail.", "username")


class ChangePasswordRequest(BaseSchema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class DepartmentRef(Schema):
    id = fields.Integer()
    name = fields.String()
    code = fields.String()


class UserRead(BaseSchema):
    id = fields.Integer(dump_only=True)
    username = fields.String()
    email = fields.String()
    full_name = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
    department_id = fields.Integer(allow_none=True)
    department = fields.Nested(DepartmentRef, allow_none=True)
    manager_id = fields.Integer(allow_none=True)
    manager_name = derived_text(lambda u: u.manager.full_name if u.manager else None)
    is_active = fields.Boolean()
    permissions = fields.Function(
        lambda u: sorted(u.permissions), metadata={"type": "array", "items": {"type": "string"}}
    )
    last_login_at = UTCDateTimeField(allow_none=True)
    version = fields.Integer()


class MeRead(UserRead):
    """The caller's profile plus the settings every screen needs (the base currency)."""

    currency = derived(lambda _u: current_app.config["BASE_CURRENCY"], "string")


class UserCreate(BaseSchema):
    username = fields.String(required=True, validate=USERNAME)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    department_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    manager_id = fields.Integer(strict=True, allow_none=True, load_default=None)


class UserUpdate(BaseSchema):
    email = fields.Email(validate=validate.Length(max=254))
    full_name = fields.String(validate=validate.Length(min=1, max=200))
    role = fields.String(validate=validate.OneOf(ROLES))
    department_id = fields.Integer(strict=True, allow_none=True)
    manager_id = fields.Integer(strict=True, allow_none=True)
    version = fields.Integer(strict=True, required=True)


class UserQuery(QuerySchema):
    q = fields.String(validate=validate.Length(max=100))
    role = fields.String(validate=validate.OneOf(ROLES))
    is_active = fields.Boolean()
    department_id = fields.Integer(strict=False)


class DepartmentRead(BaseSchema):
    id = fields.Integer(dump_only=True)
    name = fields.String()
    code = fields.String()
    is_active = fields.Boolean()
    version = fields.Integer()


class DepartmentCreate(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    code = fields.String(
        required=True, validate=validate.Regexp(r"^[A-Z0-9_-]{1,20}$", error="1-20 of A-Z 0-9 _ -")
    )


class TokenPair(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    user = fields.Nested(MeRead)


class UserLookupRead(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))


class UserLookupQuery(QuerySchema):
    q = fields.String(validate=validate.Length(max=100))


class SetPasswordRequest(BaseSchema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))


class LoginResult(TokenPair):
    """The tokens, or (with a second factor due) only the challenge for the next step."""

    mfa_required = fields.Boolean()
    mfa_enrolment = fields.Boolean()
    mfa_challenge = fields.String()


CODE = validate.Length(min=6, max=32)


class MfaVerifyRequest(BaseSchema):
    challenge = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    code = fields.String(required=True, validate=CODE)


class MfaChallengeRequest(BaseSchema):
    challenge = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class MfaCodeRequest(BaseSchema):
    code = fields.String(required=True, validate=CODE)


class MfaSetup(Schema):
    secret = fields.String()
    otpauth_uri = fields.String()
    qr_svg = fields.String()


class MfaStatus(Schema):
    enabled = fields.Boolean()
    required = fields.Boolean()
    recovery_codes_left = fields.Integer()
    enrolled_at = UTCDateTimeField(allow_none=True)


class RecoveryCodes(Schema):
    recovery_codes = fields.List(fields.String())


class MfaEnrolled(LoginResult):
    recovery_codes = fields.List(fields.String())
