//! Typed ids: a `UserId` cannot be passed where a `DepartmentId` is meant. Each is the
//! database's integer key; conversions to and from `i32` happen at the edges (store
//! columns, URLs, JSON bodies).

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl $name {
            /// The integer key.
            pub const fn get(self) -> i32 {
                self.0
            }
        }

        impl From<i32> for $name {
            fn from(v: i32) -> Self {
                Self(v)
            }
        }

        impl From<$name> for i32 {
            fn from(v: $name) -> i32 {
                v.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map(Self)
            }
        }
    };
}

id!(
    /// A person who signs in.
    UserId
);
id!(
    /// A department of the company.
    DepartmentId
);
id!(
    /// A reception (one request and everything that follows it).
    ReceptionId
);
id!(
    /// An API token.
    TokenId
);
id!(
    /// A line of the audit log.
    AuditId
);
id!(
    /// A task of a reception (a line of the task division).
    TaskId
);
id!(
    /// A group of the task division (a team).
    TeamId
);
id!(
    /// A group robot or webhook that notifications go to.
    ChannelId
);

id!(
    /// A meeting room that receptions book.
    RoomId
);
id!(
    /// A car that receptions book, with its driver.
    VehicleId
);
id!(
    /// A kind of material kept in storage (tea sets, glasses…).
    StockItemId
);
id!(
    /// A booking of a room or a car for a reception.
    BookingId
);
id!(
    /// A line of a reception's item list (Attachment 3).
    ItemLineId
);
id!(
    /// Something a guest left behind.
    LostFoundId
);
id!(
    /// An expense of a reception's settlement.
    ExpenseId
);
id!(
    /// A receipt (a photo or PDF) of an expense.
    ReceiptId
);
id!(
    /// A guest's link to a reception's satisfaction survey.
    SurveyLinkId
);
id!(
    /// An improvement action decided at a review meeting (总结例会).
    ImprovementActionId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_write_as_plain_integers() {
        let id: ReceptionId = " 42 ".parse().unwrap();
        assert_eq!(id, ReceptionId(42));
        assert_eq!(id.to_string(), "42");
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<UserId>("7").unwrap(), UserId(7));
        assert!("x".parse::<DepartmentId>().is_err());
    }
}
