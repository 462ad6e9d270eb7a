//! Roles: what a person does in the reception procedure. A person may hold several.

use serde::{Deserialize, Serialize};

/// A role. Identifiers are stable: scripts and the API use them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Host department staff who ask for receptions (需求提出者).
    Requester,
    /// Department head who approves a request (部门负责人).
    Approver,
    /// General Management (综管部), who organise receptions.
    Coordinator,
    /// Drivers, service and logistics staff who carry out tasks.
    Staff,
    /// Finance, who settle the money.
    Finance,
    /// Administrators of the installation.
    Admin,
}

impl Role {
    /// Every role, in the order the interface lists them.
    pub const ALL: [Role; 6] =
        [Role::Requester, Role::Approver, Role::Coordinator, Role::Staff, Role::Finance, Role::Admin];
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::Code::as_str(*self))
    }
}

/// The roles of one person, as a small bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct RoleSet(u8);

impl RoleSet {
    /// No roles.
    pub const fn empty() -> Self {
        RoleSet(0)
    }

    fn bit(r: Role) -> u8 {
        1 << (r as u8)
    }

    /// Adds a role.
    pub fn insert(&mut self, r: Role) {
        self.0 |= Self::bit(r);
    }

    /// True when the person holds the role.
    pub fn contains(self, r: Role) -> bool {
        self.0 & Self::bit(r) != 0
    }

    /// True when no role is held.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The roles held, in interface order.
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl FromIterator<Role> for RoleSet {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Self {
        let mut s = RoleSet::empty();
        for r in iter {
            s.insert(r);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    #[test]
    fn role_identifiers_round_trip() {
        crate::codec::assert_codes_round_trip::<Role>();
        assert_eq!(Role::all(), Role::ALL, "interface order is declaration order");
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn role_set_holds_exactly_what_was_inserted() {
        let s: RoleSet = [Role::Staff, Role::Admin].into_iter().collect();
        assert!(s.contains(Role::Staff) && s.contains(Role::Admin));
        assert!(!s.contains(Role::Finance));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![Role::Staff, Role::Admin]);
        assert!(RoleSet::empty().is_empty());
    }
}
