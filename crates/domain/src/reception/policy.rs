//! Who may do what with a reception: the viewer, how they stand towards one reception,
//! and the rules of visibility, editing and every action.

use chrono::NaiveDate;

use super::{Action, State};
use crate::ids::{DepartmentId, UserId};
use crate::{Role, RoleSet};

/// Who is looking, with what the visibility rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    /// The person.
    pub user_id: UserId,
    /// Their roles.
    pub roles: RoleSet,
    /// Their department.
    pub department_id: Option<DepartmentId>,
    /// Departments they head.
    pub heads: Vec<DepartmentId>,
    /// Approvers whose deputy they are today, with the departments each approves for.
    pub deputy_for: Vec<Deputyship>,
}

/// Standing in for an approver during their delegation: requests of their departments go
/// to the deputy meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deputyship {
    /// The approver stood in for.
    pub approver: UserId,
    /// The departments that approver approves for.
    pub departments: Vec<DepartmentId>,
}

impl Viewer {
    /// How the viewer stands towards a reception of `department` requested by `requester`.
    pub fn standing(&self, requester: UserId, department: DepartmentId) -> Standing {
        Standing {
            roles: self.roles,
            is_requester: requester == self.user_id,
            in_department: self.department_id == Some(department),
            heads_department: self.heads.contains(&department),
            deputy_of: self
                .deputy_for
                .iter()
                .find(|d| d.approver != requester && d.departments.contains(&department))
                .map(|d| d.approver),
            holds_task: false,
        }
    }

    /// Coordinators, finance and administrators see every reception.
    pub fn sees_all(&self) -> bool {
        Standing { roles: self.roles, ..Standing::default() }.sees_all()
    }

    /// The departments whose receptions the viewer may list besides their own requests;
    /// `None` when they see every reception.
    pub fn listed_departments(&self) -> Option<Vec<DepartmentId>> {
        if self.sees_all() {
            return None;
        }
        let mut departments = self.heads.clone();
        for dep in self.deputy_for.iter().flat_map(|x| &x.departments) {
            if !departments.contains(dep) {
                departments.push(*dep);
            }
        }
        if let Some(d) = self.department_id
            && (self.roles.contains(Role::Requester) || self.roles.contains(Role::Approver))
            && !departments.contains(&d)
        {
            departments.push(d);
        }
        Some(departments)
    }

    /// Departments whose requests the viewer approves in their own right (their own
    /// request excepted: see [`Standing::approves`]).
    pub fn approves_in_own_right(&self) -> Vec<DepartmentId> {
        let mut d = self.heads.clone();
        if let Some(own) = self.department_id
            && self.roles.contains(Role::Approver)
            && !d.contains(&own)
        {
            d.push(own);
        }
        d
    }

    /// Departments whose requests the viewer approves: in their own right, and as the
    /// deputy of an approver today.
    pub fn approves_for(&self) -> Vec<DepartmentId> {
        let mut d = self.approves_in_own_right();
        for dep in self.deputy_for.iter().flat_map(|x| &x.departments) {
            if !d.contains(dep) {
                d.push(*dep);
            }
        }
        d
    }

    /// The viewer may file a request for this department: their own, one they head, or
    /// any for General Management and administrators.
    pub fn may_file_for(&self, department: DepartmentId) -> bool {
        self.sees_all() || self.department_id == Some(department) || self.heads.contains(&department)
    }

    /// The viewer takes approved requests on (General Management, administrators).
    pub fn takes_on(&self) -> bool {
        self.roles.contains(Role::Coordinator) || self.roles.contains(Role::Admin)
    }

    /// The viewer is an administrator.
    pub fn is_admin(&self) -> bool {
        self.roles.contains(Role::Admin)
    }
}

/// How someone stands towards one reception, for deciding what they may do with it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Standing {
    /// Their roles.
    pub roles: RoleSet,
    /// They created the request.
    pub is_requester: bool,
    /// They belong to the requesting department.
    pub in_department: bool,
    /// They head the requesting department.
    pub heads_department: bool,
    /// They stand in for this approver of the requesting department today.
    pub deputy_of: Option<UserId>,
    /// They hold a task of this reception (responsible or assistant): they see it, and of the
    /// guests' personal data what their task needs, and take no action on the request.
    pub holds_task: bool,
}

impl Standing {
    /// May see the reception at all: the requesting department's people, its head,
    /// coordinators, finance and administrators, and whoever holds one of its tasks.
    pub fn may_view(&self) -> bool {
        self.holds_task
            || self.is_requester
            || self.heads_department
            || self.deputy_of.is_some()
            || (self.in_department && (self.roles.contains(Role::Requester) || self.roles.contains(Role::Approver)))
            || self.sees_all()
    }

    /// Coordinators, finance and administrators see every reception.
    pub fn sees_all(&self) -> bool {
        self.roles.contains(Role::Coordinator) || self.roles.contains(Role::Finance) || self.roles.contains(Role::Admin)
    }

    /// May approve for the requesting department: its head, an approver in it, or the
    /// deputy of one of them today — never for their own request, which goes to the next
    /// level (an administrator).
    pub fn approves(&self) -> bool {
        !self.is_requester && (self.approves_in_own_right() || self.deputy_of.is_some())
    }

    /// Approves as the department's head or one of its approvers (not as a deputy).
    pub fn approves_in_own_right(&self) -> bool {
        self.heads_department || (self.in_department && self.roles.contains(Role::Approver))
    }

    /// The approver the person acts for when deciding: set when they decide only as a
    /// deputy.
    pub fn acting_for(&self) -> Option<UserId> {
        if self.approves_in_own_right() || self.roles.contains(Role::Admin) { None } else { self.deputy_of }
    }

    /// May see guests' personal data (phones, plates, special needs): the host
    /// department's people and General Management.
    pub fn sees_personal_data(&self) -> bool {
        self.holds_task
            || self.is_requester
            || self.in_department
            || self.heads_department
            || self.deputy_of.is_some()
            || self.roles.contains(Role::Coordinator)
            || self.roles.contains(Role::Admin)
    }

    /// May change the content of a request in this state.
    pub fn may_edit(&self, state: State) -> bool {
        state.is_editable() && (self.is_requester || self.roles.contains(Role::Admin))
    }

    /// May take this action on a request in this state (before the visit's first day,
    /// for a cancellation: see [`may_cancel_on`]).
    pub fn may(&self, action: Action, state: State) -> bool {
        if action.next(state).is_none() {
            return false;
        }
        // Nobody decides on their own request, administrators included.
        if action.is_decision() && self.is_requester {
            return false;
        }
        if self.roles.contains(Role::Admin) {
            return true;
        }
        match action {
            Action::Submit | Action::Withdraw => self.is_requester,
            Action::Approve | Action::Return | Action::Reject => self.approves(),
            Action::TakeOn | Action::OpenDay | Action::WrapUp | Action::Close => self.roles.contains(Role::Coordinator),
            Action::Cancel => {
                self.is_requester || self.approves() || (self.roles.contains(Role::Coordinator) && state.is_approved())
            }
        }
    }
}

/// A cancellation is possible before the visit's first day.
pub fn may_cancel_on(visit_start: NaiveDate, today: NaiveDate) -> bool {
    today < visit_start
}

/// The day can be opened (planning → on site) from the visit's first day.
pub fn may_open_day_on(visit_start: NaiveDate, today: NaiveDate) -> bool {
    today >= visit_start
}

impl Standing {
    /// The actions the person may take now on a reception in `state` whose visit starts
    /// on `visit_start` (a cancellation only before that day).
    pub fn available_actions(&self, state: State, visit_start: NaiveDate, today: NaiveDate) -> Vec<Action> {
        <Action as crate::Code>::all()
            .iter()
            .copied()
            .filter(|a| self.may(*a, state))
            .filter(|a| *a != Action::Cancel || may_cancel_on(visit_start, today))
            .filter(|a| *a != Action::OpenDay || may_open_day_on(visit_start, today))
            .collect()
    }
}
