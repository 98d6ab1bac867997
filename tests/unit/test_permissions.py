"""Pure rules of the permission matrix."""

from __future__ import annotations

from reqflow.identity.permissions import MATRIX, Role, grants, permissions_for, widest_scope


def test_every_role_of_the_spec_has_a_row():
    assert {r.value for r in MATRIX} == {
        "Engineer",
        "Procurement",
        "ProcurementMgr",
        "Warehouse",
        "Accountant",
        "Admin",
    }


def test_wider_scope_grants_narrower():
    perms = frozenset({"requisition:view:all"})
    assert grants(perms, "requisition", "view", "own")
    assert grants(perms, "requisition", "view", "department")
    assert grants(perms, "requisition", "view", None)


def test_narrow_scope_does_not_grant_wider():
    perms = frozenset({"requisition:view:own"})
    assert grants(perms, "requisition", "view", "own")
    assert not grants(perms, "requisition", "view", "all")
    assert widest_scope(perms, "requisition", "view") == "own"


def test_unknown_role_has_no_permissions():
    assert permissions_for("Wizard") == frozenset()


def test_segregation_only_admin_manages_users_and_only_mgr_approves_pos():
    holders = {role for role, perms in MATRIX.items() if "user:manage" in perms}
    assert holders == {Role.ADMIN}
    approvers = {role for role, perms in MATRIX.items() if "po:approve" in perms}
    assert approvers == {Role.PROCUREMENT_MGR}


def test_unscoped_grant_counts_as_all():
    assert widest_scope(frozenset({"audit:view"}), "audit", "view") == "all"
    assert widest_scope(frozenset(), "audit", "view") is None


def test_import_permissions_follow_what_each_role_manages_and_admin_imports_every_kind():
    kinds = {"suppliers", "items", "projects", "locations", "stock", "users"}
    imports = {
        role: {p.split(":")[1] for p in perms if p.startswith("import:")}
        for role, perms in MATRIX.items()
    }
    assert imports[Role.ADMIN] == kinds
    assert imports[Role.PROCUREMENT] == {"suppliers", "items"}
    assert imports[Role.PROCUREMENT_MGR] == {"suppliers", "items", "projects"}
    assert imports[Role.WAREHOUSE] == {"items", "locations", "stock"}
    assert imports[Role.ENGINEER] == set()
    assert imports[Role.ACCOUNTANT] == set()
    assert grants(MATRIX[Role.ADMIN], "import", "users", None)
    assert not grants(MATRIX[Role.PROCUREMENT], "import", "users", None)
