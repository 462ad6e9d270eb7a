//! Services: what pages, the API and the command line share. A service parses input
//! into domain values, does the work that is more than one store call (hashing,
//! secrets), and calls the store.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod demo;
pub mod procedure;
pub mod receptions;
