"""The requisition state machine: every legal move and every illegal one."""

from __future__ import annotations

import pytest

from reqflow.errors import InvalidTransition
from reqflow.requisitions.models import TRANSITIONS, Status, next_status

ACTIONS = ["submit", "advance", "approve", "reject", "question", "cancel"]

LEGAL = {
    ("Draft", "submit"): "Submitted",
    ("Questioned", "submit"): "Submitted",
    ("Submitted", "advance"): "Under Review",
    ("Under Review", "advance"): "Under Review",
    ("Submitted", "approve"): "Approved",
    ("Under Review", "approve"): "Approved",
    ("Submitted", "reject"): "Rejected",
    ("Under Review", "reject"): "Rejected",
    ("Submitted", "question"): "Questioned",
    ("Under Review", "question"): "Questioned",
    ("Draft", "cancel"): "Cancelled",
    ("Questioned", "cancel"): "Cancelled",
}


@pytest.mark.parametrize("state,action", sorted(LEGAL))
def test_legal_transition(state, action):
    assert next_status(state, action) == LEGAL[(state, action)]


ILLEGAL = [(s.value, a) for s in Status for a in ACTIONS if (s.value, a) not in LEGAL]


@pytest.mark.parametrize("state,action", ILLEGAL)
def test_illegal_transition_is_refused(state, action):
    with pytest.raises(InvalidTransition) as caught:
        next_status(state, action)
    assert caught.value.status == 409


def test_terminal_states_have_no_way_out():
    for state in ("Approved", "Rejected", "Cancelled"):
        assert not [k for k in TRANSITIONS if k[0] == state]


def test_table_and_expectations_agree():
    assert {(k[0].value, k[1]): v.value for k, v in TRANSITIONS.items()} == LEGAL
