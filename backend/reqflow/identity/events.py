"""Identity events: every auth event and user change is audited through these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@dataclass(frozen=True, kw_only=True)
class _UserEvent(DomainEvent):
    resource_type: ClassVar[str] = "user"


@event_type
@dataclass(frozen=True, kw_only=True)
class UserLoggedIn(_UserEvent):
    action: ClassVar[str] = "auth.login"


@event_type
@dataclass(frozen=True, kw_only=True)
class LoginFailed(_UserEvent):
    action: ClassVar[str] = "auth.login_failed"
    identifier: str = ""
    reason: str = ""


@event_type
@dataclass(frozen=True, kw_only=True)
class AccountLockedOut(_UserEvent):
    action: ClassVar[str] = "auth.lockout"


@event_type
@dataclass(frozen=True, kw_only=True)
class UserLoggedOut(_UserEvent):
    action: ClassVar[str] = "auth.logout"


@event_type
@dataclass(frozen=True, kw_only=True)
class RefreshTokenReused(_UserEvent):
    action: ClassVar[str] = "auth.refresh_reuse"


@event_type
@dataclass(frozen=True, kw_only=True)
class PasswordChanged(_UserEvent):
    action: ClassVar[str] = "auth.password_change"


@event_type
@dataclass(frozen=True, kw_only=True)
class PasswordChangeFailed(_UserEvent):
    action: ClassVar[str] = "auth.password_change_failed"


@event_type
@dataclass(frozen=True, kw_only=True)
class UserCreated(_UserEvent):
    action: ClassVar[str] = "user.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class UserUpdated(_UserEvent):
    action: ClassVar[str] = "user.update"


@event_type
@dataclass(frozen=True, kw_only=True)
class UserDeactivated(_UserEvent):
    action: ClassVar[str] = "user.deactivate"


@event_type
@dataclass(frozen=True, kw_only=True)
class DepartmentCreated(DomainEvent):
    resource_type: ClassVar[str] = "department"
    action: ClassVar[str] = "department.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class MfaEnabled(_UserEvent):
    action: ClassVar[str] = "auth.mfa_enable"


@event_type
@dataclass(frozen=True, kw_only=True)
class MfaDisabled(_UserEvent):
    action: ClassVar[str] = "auth.mfa_disable"


@event_type
@dataclass(frozen=True, kw_only=True)
class MfaReset(_UserEvent):
    action: ClassVar[str] = "auth.mfa_reset"


@event_type
@dataclass(frozen=True, kw_only=True)
class MfaFailed(_UserEvent):
    action: ClassVar[str] = "auth.mfa_failed"
    reason: str = ""


@event_type
@dataclass(frozen=True, kw_only=True)
class RecoveryCodeUsed(_UserEvent):
    action: ClassVar[str] = "auth.mfa_recovery_code_used"


@event_type
@dataclass(frozen=True, kw_only=True)
class RecoveryCodesRegenerated(_UserEvent):
    action: ClassVar[str] = "auth.mfa_recovery_codes"
