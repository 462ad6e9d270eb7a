//! Keys made from values: every catalogue key that code builds from an enumeration rather
//! than writes out (a role's name, a state's label…) is made here, so the test of the
//! catalogues can list them all.

use jiedai_domain::Role;

/// The key naming a role.
pub fn role(r: Role) -> &'static str {
    match r {
        Role::Requester => "role.requester",
        Role::Approver => "role.approver",
        Role::Coordinator => "role.coordinator",
        Role::Staff => "role.staff",
        Role::Finance => "role.finance",
        Role::Admin => "role.admin",
    }
}
