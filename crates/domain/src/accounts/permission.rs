//! The permission table: who may do what. One table in code, walked by a test
//! that visits every route with every role.

use super::{Role, RoleSet};

/// Something a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Open to everyone, signed in or not (login page, health checks).
    Public,
    /// Any signed-in, active person (home, own account, own tokens).
    SignedIn,
    /// Manage users and their roles.
    ManageUsers,
    /// Manage departments and their heads.
    ManageDepartments,
    /// Read the audit log.
    ViewAudit,
    /// Add later years and company closures to the working-day calendar.
    ManageCalendar,
    /// Change the reception procedure (a new version).
    ManageProcedure,
    /// Keep the group robots and webhooks notifications go to, and look after deliveries.
    ManageChannels,
    /// Ask for a reception (write a request for one's department).
    RequestReception,
    /// Keep the groups of the task division (their leads and members): General Management
    /// and administrators.
    ManageTeams,
    /// Keep rooms, cars and stock, book them for receptions, keep item lists and lost
    /// property: General Management and administrators.
    ManageResources,
    /// Read the reports across receptions (spend, satisfaction, lateness): General
    /// Management, finance and administrators.
    ViewReports,
    /// See settlements of a period and (finance) export them: General Management, finance
    /// and administrators.
    Settle,
    /// Export the approved settlements of a period for the accounting system: finance and
    /// administrators.
    ExportSettlements,
    /// Record the minutes of review meetings (总结例会), decide improvement actions and mark
    /// lessons applied: General Management and administrators.
    RecordReviews,
}

impl Permission {
    /// The roles that grant this permission; `None` means no role is needed.
    pub fn roles(self) -> Option<&'static [Role]> {
        match self {
            Permission::Public | Permission::SignedIn => None,
            Permission::ManageUsers
            | Permission::ManageDepartments
            | Permission::ViewAudit
            | Permission::ManageCalendar
            | Permission::ManageProcedure
            | Permission::ManageChannels => Some(&[Role::Admin]),
            Permission::RequestReception => Some(&[Role::Requester, Role::Approver, Role::Coordinator, Role::Admin]),
            Permission::ManageTeams | Permission::ManageResources => Some(&[Role::Coordinator, Role::Admin]),
            Permission::ViewReports => Some(&[Role::Coordinator, Role::Finance, Role::Admin]),
            Permission::Settle => Some(&[Role::Coordinator, Role::Finance, Role::Admin]),
            Permission::ExportSettlements => Some(&[Role::Finance, Role::Admin]),
            Permission::RecordReviews => Some(&[Role::Coordinator, Role::Admin]),
        }
    }

    /// True when someone with `roles` (None: not signed in) may proceed.
    pub fn allows(self, roles: Option<RoleSet>) -> bool {
        match (self, roles) {
            (Permission::Public, _) => true,
            (_, None) => false,
            (p, Some(held)) => match p.roles() {
                None => true,
                Some(needed) => needed.iter().any(|r| held.contains(*r)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_only_passes_public() {
        assert!(Permission::Public.allows(None));
        assert!(!Permission::SignedIn.allows(None));
        assert!(!Permission::ManageUsers.allows(None));
    }

    #[test]
    fn only_admins_manage_users_departments_and_read_audit() {
        for role in Role::ALL {
            let set: RoleSet = [role].into_iter().collect();
            let admin = role == Role::Admin;
            assert_eq!(Permission::ManageUsers.allows(Some(set)), admin);
            assert_eq!(Permission::ManageDepartments.allows(Some(set)), admin);
            assert_eq!(Permission::ViewAudit.allows(Some(set)), admin);
            assert_eq!(Permission::ManageCalendar.allows(Some(set)), admin);
            assert_eq!(Permission::ManageProcedure.allows(Some(set)), admin);
            assert!(Permission::SignedIn.allows(Some(set)));
            assert_eq!(Permission::ManageTeams.allows(Some(set)), admin || role == Role::Coordinator);
            assert_eq!(Permission::ManageResources.allows(Some(set)), admin || role == Role::Coordinator);
            assert_eq!(
                Permission::ViewReports.allows(Some(set)),
                admin || role == Role::Coordinator || role == Role::Finance
            );
            let settles = admin || role == Role::Coordinator || role == Role::Finance;
            assert_eq!(Permission::Settle.allows(Some(set)), settles);
            assert_eq!(Permission::ExportSettlements.allows(Some(set)), admin || role == Role::Finance);
            assert_eq!(Permission::RecordReviews.allows(Some(set)), admin || role == Role::Coordinator);
        }
        assert!(Permission::SignedIn.allows(Some(RoleSet::empty())));
    }

    #[test]
    fn host_departments_and_general_management_ask_for_receptions() {
        let allowed: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| Permission::RequestReception.allows(Some([*r].into_iter().collect())))
            .collect();
        assert_eq!(allowed, vec![Role::Requester, Role::Approver, Role::Coordinator, Role::Admin]);
    }
}
