//! Pure types and rules: no SQL, no HTTP. Values that exist here are valid.

pub mod assignment;
pub mod availability;
pub mod category;
pub mod client;
pub mod contact;
pub mod dates;
pub mod email;
pub mod feedback;
pub mod follow_up;
pub mod hours;
pub mod mail;
pub mod member;
pub mod money;
pub mod municipality;
pub mod page;
pub mod postcode;
pub mod progress;
pub mod provider;
pub mod ranking;
pub mod referral;
pub mod report;
pub mod request;
pub mod role;
pub mod routing;
pub mod schedule;
pub(crate) mod text_enum;
pub mod user;
pub mod validation;
pub mod visit;
pub mod voucher;
pub mod window;

pub use email::Email;
pub use role::Role;
pub use validation::{FieldError, Violations};
