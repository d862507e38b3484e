//! Pure types and rules: no SQL, no HTTP. Values that exist here are valid.

pub mod email;
pub mod role;
pub mod user;
pub mod validation;

pub use email::Email;
pub use role::Role;
pub use validation::{FieldError, Violations};
