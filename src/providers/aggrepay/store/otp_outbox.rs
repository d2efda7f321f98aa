//! The SMS outbox (`aggrepay_otps`): every OTP the sandbox has "sent".

use crate::db::DbError;
use crate::providers::aggrepay::store::ledger::stamp;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `registrationotp`, spent by `registercustomer`.
    Registration,
    /// `customerotp`, spent by `forgotmpin`.
    Customer,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Registration => "registration",
            Purpose::Customer => "customer",
        }
    }
}

/// Marks every unsuperseded OTP of a number and purpose superseded.
pub fn supersede(
    conn: &Connection,
    merchant: i64,
    mobile: &str,
    purpose: Purpose,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "update aggrepay_otps set superseded = 1 \
         where merchant_id = ? and mobile_number = ? and purpose = ? and superseded = 0",
    )?
    .execute(params![merchant, mobile, purpose.as_str()])?;
    Ok(())
}

/// Writes an OTP to the outbox.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &Connection,
    merchant: i64,
    mobile: &str,
    email: Option<&str>,
    code: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "insert into aggrepay_otps (merchant_id, mobile_number, email, otp, purpose, created_at, \
         expires_at) values (?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        merchant,
        mobile,
        email,
        code,
        purpose.as_str(),
        stamp(now),
        stamp(expires_at),
    ])?;
    Ok(())
}

/// The last OTP of a number and purpose.
pub struct LastOtp {
    pub id: i64,
    pub otp: String,
    pub email: Option<String>,
    pub used: bool,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC.
    pub expires_at: String,
}

pub fn last(
    conn: &Connection,
    merchant: i64,
    mobile: &str,
    purpose: Purpose,
) -> Result<Option<LastOtp>, DbError> {
    conn.prepare_cached(
        "select id, otp, email, used, created_at, expires_at from aggrepay_otps \
         where merchant_id = ? and mobile_number = ? and purpose = ? \
         order by id desc limit 1",
    )?
    .query_row(params![merchant, mobile, purpose.as_str()], |r| {
        Ok(LastOtp {
            id: r.get("id")?,
            otp: r.get("otp")?,
            email: r.get("email")?,
            used: r.get::<_, i64>("used")? != 0,
            created_at: r.get("created_at")?,
            expires_at: r.get("expires_at")?,
        })
    })
    .optional()
}

/// Whether `otp` was sent to this number for this purpose before the OTP `last` (for the
/// diagnosis of a superseded OTP; the value is compared, never shown).
pub fn sent_before(
    conn: &Connection,
    merchant: i64,
    mobile: &str,
    purpose: Purpose,
    otp: &str,
    last: i64,
) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached(
            "select 1 from aggrepay_otps where merchant_id = ? and mobile_number = ? \
             and purpose = ? and otp = ? and id < ? limit 1",
        )?
        .query_row(
            params![merchant, mobile, purpose.as_str(), otp, last],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Marks an OTP used; false when it already was.
pub fn mark_used(conn: &Connection, id: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("update aggrepay_otps set used = 1 where id = ? and used = 0")?
        .execute([id])?
        == 1)
}

/// One OTP sent, as stored (times RFC 3339 UTC).
pub struct OutboxEntry {
    pub mobile_number: String,
    pub otp: String,
    pub purpose: String,
    pub created_at: String,
    pub expires_at: String,
    pub used: bool,
    pub superseded: bool,
    pub api_key: String,
}

/// The OTPs sent to `mobile` (normalised; all when None) by `merchant` (all when None),
/// oldest first, ties in time by the order sent.
pub fn list(
    conn: &Connection,
    mobile: Option<&str>,
    merchant: Option<i64>,
) -> Result<Vec<OutboxEntry>, DbError> {
    conn.prepare_cached(
        "select o.mobile_number, o.otp, o.purpose, o.created_at, o.expires_at, \
         o.used, o.superseded, m.api_key from aggrepay_otps o \
         join aggrepay_merchants m on m.id = o.merchant_id \
         where (?1 is null or o.mobile_number = ?1) \
         and (?2 is null or o.merchant_id = ?2) \
         order by o.created_at, o.id",
    )?
    .query_map(rusqlite::params![mobile, merchant], |r| {
        Ok(OutboxEntry {
            mobile_number: r.get("mobile_number")?,
            otp: r.get("otp")?,
            purpose: r.get("purpose")?,
            created_at: r.get("created_at")?,
            expires_at: r.get("expires_at")?,
            used: r.get::<_, i64>("used")? != 0,
            superseded: r.get::<_, i64>("superseded")? != 0,
            api_key: r.get("api_key")?,
        })
    })?
    .collect()
}
