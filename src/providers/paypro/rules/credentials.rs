//! PayPro credentials and enabled services, checked in the spec's order: the given
//! username and password first, then (once the merchant is read) the password and service.

use crate::providers::paypro::diagnoses;
use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::store::merchants::Merchant;
use std::sync::Arc;

/// Credential failures are `01`, except on `co` and `cmo`, where they are `04`.
fn failure_code(service: &str) -> Code {
    if matches!(service, "co" | "cmo") {
        Code::NotAuthorized
    } else {
        Code::Rejected
    }
}

fn fail(service: &str, description: &str) -> Failure {
    Failure::new(
        failure_code(service),
        format!("Invalid Data. {description}"),
    )
}

/// The username and password, trimmed, present and at most 60 characters each.
pub fn given<'a>(
    username: Option<&'a str>,
    password: Option<&'a str>,
    service: &str,
) -> Result<(&'a str, &'a str), Failure> {
    let username = username.map(str::trim).filter(|u| !u.is_empty());
    let password = password.map(str::trim).filter(|p| !p.is_empty());
    let username = username.ok_or_else(|| fail(service, "Username cannot be empty"))?;
    if username.chars().count() > 60 {
        return Err(fail(service, "Username length is invalid"));
    }
    let password = password.ok_or_else(|| fail(service, "Password cannot be empty"))?;
    if password.chars().count() > 60 {
        return Err(fail(service, "Password length is invalid"));
    }
    Ok((username, password))
}

/// The merchant found by the username, when the password is its own and `service` is
/// enabled for it.
pub fn admit(
    found: Option<Arc<Merchant>>,
    username: &str,
    password: &str,
    service: &str,
) -> Result<Arc<Merchant>, Failure> {
    let invalid = || fail(service, "Username or password is invalid");
    let merchant =
        found.ok_or_else(|| invalid().with(diagnoses::unknown_user(service, username)))?;
    if merchant.password != password {
        return Err(invalid().with(diagnoses::wrong_password(service)));
    }
    if !merchant.serves(service) {
        let status = match failure_code(service) {
            Code::NotAuthorized => Code::NotAuthorized,
            _ => Code::ServiceFail,
        };
        return Err(Failure::new(
            status,
            "Service Failed. User is not Authorized for this service",
        ));
    }
    Ok(merchant)
}

/// The known user name closest to an unknown `username`, when within two edits (case
/// ignored): the one it is most likely a misspelling of.
pub fn closest<'a>(username: &str, known: impl Iterator<Item = &'a str>) -> Option<String> {
    let wanted = username.to_lowercase();
    known
        .map(|k| (strsim::levenshtein(&wanted, &k.to_lowercase()), k))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k.to_string())
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn a_misspelled_name_finds_its_merchant() {
        let known = ["PayProUser", "ConnectPay"];
        let near = |name| closest(name, known.iter().copied());
        assert_eq!(near("PayProUsr").as_deref(), Some("PayProUser"));
        assert_eq!(near("payprouser1").as_deref(), Some("PayProUser"));
        assert_eq!(near("Someone"), None);
    }
}
