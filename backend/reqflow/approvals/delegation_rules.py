"""Who may stand in for whom: a delegate must be able to hold the delegator's steps."""

from __future__ import annotations

from typing import NamedTuple, Protocol

from reqflow.identity.models import User
from reqflow.identity.permissions import permissions_for

APPROVE = "requisition:approve"


class StepLike(Protocol):
    """What deciding whether someone may act on a step reads of it (an ``ApprovalStep`` or
    a row of ``history_rows``)."""

    @property
    def status(self) -> str: ...
    @property
    def approver_id(self) -> int | None: ...
    @property
    def role(self) -> str | None: ...
    @property
    def requester_id(self) -> int: ...


class Delegator(NamedTuple):
    """What deciding on someone's behalf needs of them (read without loading the user)."""

    id: int
    role: str
    is_active: bool


def may_stand_in(delegate: User, delegator: User | Delegator) -> bool:
    """Could ``delegate`` hold the delegator's steps? A colleague of the same role always
    can. A role that takes role steps (it holds ``requisition:approve``: procurement review,
    high-value approval) can only be stood in for by that role; someone who approves only
    as a line manager may also pick a colleague whose role holds ``requisition:approve``."""
    if delegate.role == delegator.role:
        return True
    return APPROVE not in permissions_for(delegator.role) and APPROVE in delegate.permissions


def stand_in_hint(delegator: User) -> str:
    """The field message when the chosen delegate could not hold the steps."""
    if APPROVE in permissions_for(delegator.role):
        return f"Choose a colleague who is also {delegator.role}: only they can take your steps."
    return f"Choose a colleague who is also {delegator.role} or may approve requisitions."
