//! PayPro credentials and enabled services, checked in the spec's order.

use super::diagnoses;
use super::errors::{Code, Failure};
use super::store::merchants;
use rusqlite::Connection;

pub use merchants::Merchant;

/// Checks the username and password, then that `service` is enabled. Failures are `01`,
/// except on `co` and `cmo`, where they are `04`.
pub fn authenticate(
    conn: &Connection,
    username: Option<&str>,
    password: Option<&str>,
    service: &str,
) -> Result<Merchant, Failure> {
    let code = if matches!(service, "co" | "cmo") {
        Code::NotAuthorized
    } else {
        Code::Rejected
    };
    let fail = |description: &str| Failure::new(code, format!("Invalid Data. {description}"));
    let username = username.map(str::trim).filter(|u| !u.is_empty());
    let password = password.map(str::trim).filter(|p| !p.is_empty());
    let username = username.ok_or_else(|| fail("Username cannot be empty"))?;
    if username.chars().count() > 60 {
        return Err(fail("Username length is invalid"));
    }
    let password = password.ok_or_else(|| fail("Password cannot be empty"))?;
    if password.chars().count() > 60 {
        return Err(fail("Password length is invalid"));
    }
    let invalid = || fail("Username or password is invalid");
    let merchant = merchants::by_username(conn, username)?
        .ok_or_else(|| invalid().with(diagnoses::unknown_user(service, username)))?;
    if merchant.password != password {
        return Err(invalid().with(diagnoses::wrong_password(service)));
    }
    if !merchant.serves(service) {
        let status = if code == Code::NotAuthorized {
            Code::NotAuthorized
        } else {
            Code::ServiceFail
        };
        return Err(Failure::new(
            status,
            "Service Failed. User is not Authorized for this service",
        ));
    }
    Ok(merchant)
}
