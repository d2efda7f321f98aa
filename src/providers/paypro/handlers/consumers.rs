//! 8.0 Add Consumer (`cc`), 9.0 Add Multiple Consumer (`cmc`), 10.0 Update Consumer (`uc`),
//! 11.0 Update Multiple Consumers (`umc`) and 12.0 Get Consumer Data (`gcd`).
//!
//! A consumer belongs to the merchant that created it; its `FullConsumerCode` is the
//! merchant's company code + its `ConsumerID`. Another merchant's consumer answers exactly
//! like an unknown one.
//!
//! Decisions where the document and `paypro.md` are silent:
//! - Checks run in this order, the first failure answering: the payload (`oJson` wherever the
//!   client put it) must be a JSON array (read leniently) whose element 0 is an object, else
//!   `01` `Invalid Format`; element 0 with neither `MerchantId` nor `MerchantPassword` is
//!   `01` `Invalid Format` too (one of them present but empty gets the credential failures);
//!   then the credentials and the service; then the shape: `cc`/`uc` take exactly one
//!   consumer element, `cmc`/`umc` one to [`MAX_CONSUMERS`], every one an object (else
//!   `01` `Invalid Format`; more than the maximum:
//!   `01` `Invalid Data. Maximum 1000 consumers are allowed in one request`).
//! - Field checks, each `01`: `Invalid Data. ConsumerID is not provided`,
//!   `Invalid Data. ConsumerID is invalid` (`cc`/`cmc`: not 1–16 ASCII digits; `uc`/`umc`:
//!   not 1–20 digits, a company code and a ConsumerID at most), `Invalid Data. Name is not
//!   provided` (create only), `Invalid Data. <Field> length is invalid` (over 1000
//!   characters), `Invalid Data. <Field> is invalid` (an array or object). A number is read
//!   as its text (`"ConsumerID": 123456780`); strings are trimmed. `Mobile` and `Email` are
//!   not checked for format: the document gives them only as String(1000).
//! - `cmc` and `umc` are all or nothing (one transaction). When any element fails, nothing
//!   changes and the answer lists every failing element as `cmo` does:
//!   `[{"Status":"<first failure's code>"},{"ConsumerID":"<as sent>","Description":"..."},...]`.
//!   In `cmc` a ConsumerID that exists already, or that appears twice in the request, is
//!   `Consumer Already Exist`; in `umc` a consumer named twice is updated twice, in order.
//! - `uc`/`umc` read `ConsumerID` as the full code first (it starts with the merchant's company
//!   code and the rest is a consumer of the merchant), then as a bare ConsumerID. A field that is
//!   absent, null or empty after trimming is left as it is (so a field cannot be cleared); an
//!   element with nothing to change still succeeds.
//! - A ConsumerID keeps its leading zeros (`0007` is not `7`); `cc`'s `ConsumerNumber` is its
//!   value as a JSON number (`7`), exact for all 16 digits.
//! - `gcd` reads `userName`, `password`, `fullConsumerCode` (query or form, names in any case);
//!   credentials are checked first; a missing or empty `fullConsumerCode` is `01`
//!   `Invalid Format`; a code that is not the merchant's company code + an existing
//!   ConsumerID is `03` `No data available` — a bare ConsumerID included, since the parameter
//!   is documented as the full code and a client that forgets the company code should fail
//!   here rather than in production. `CreatedOn` is the creation time in the merchant's time
//!   zone, .NET style (`2020-06-10T10:17:45.247`, no fraction on a whole second).

use crate::app::AppState;
use crate::db::{self, DbError};
use crate::providers::paypro::auth::{Merchant, authenticate};
use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::handlers::extract::Payload;
use crate::providers::paypro::payload::{Inputs, Props, parse_lenient};
use crate::providers::paypro::rules::dotnet;
use crate::providers::paypro::rules::{MAX_CONSUMERS, invalid_consumer as invalid, read_consumer};
use crate::providers::paypro::store::consumers::{self as store, Fields};
use crate::providers::paypro::wire::answer;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};
use std::collections::HashSet;

/// `POST|GET /cpay/cc?oJson=[{credentials},{consumer}]`.
pub async fn cc(
    State(state): State<AppState>,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    create(&state, &inputs, "cc").await
}

/// `POST /cpay/cmc` with a JSON file of `[{credentials},{consumer},...]`.
pub async fn cmc(
    State(state): State<AppState>,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    create(&state, &inputs, "cmc").await
}

/// `POST|GET /cpay/uc?oJson=[{credentials},{consumer}]`.
pub async fn uc(
    State(state): State<AppState>,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    update(&state, &inputs, "uc").await
}

/// `POST /cpay/umc` with a JSON file of `[{credentials},{consumer},...]`.
pub async fn umc(
    State(state): State<AppState>,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    update(&state, &inputs, "umc").await
}

/// `GET /cpay/gcd?userName=...&password=...&fullConsumerCode=...`.
pub async fn gcd(
    State(state): State<AppState>,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    get_consumer(&state, &inputs).await
}

fn already_exists() -> Failure {
    Failure::new(Code::Rejected, "Consumer Already Exist")
}

/// A payload read up to its credentials, which are not checked yet.
struct Request {
    username: Option<String>,
    password: Option<String>,
    consumers: Vec<Value>,
}

/// The payload's credentials and its consumer elements, as far as they can be judged without
/// the database.
fn read_request(inputs: &Inputs) -> Result<Request, Failure> {
    let text = inputs
        .payload("oJson")
        .ok_or_else(Failure::invalid_format)?;
    let Some(Value::Array(mut items)) = parse_lenient(&text) else {
        return Err(Failure::invalid_format());
    };
    let head = items
        .first()
        .and_then(Value::as_object)
        .ok_or_else(Failure::invalid_format)?;
    let head = Props(head);
    if !head.has("MerchantId") && !head.has("MerchantPassword") {
        return Err(Failure::invalid_format());
    }
    let username = head.text("MerchantId");
    let password = head.text("MerchantPassword");
    let consumers = items.split_off(1);
    Ok(Request {
        username,
        password,
        consumers,
    })
}

/// The request's credentials checked for `service` (a read), then the shape of its consumer
/// elements, each read with [`read_consumer`] (outside any database hold).
async fn admit(
    state: &AppState,
    request: &Request,
    service: &str,
    creating: bool,
) -> Result<(Merchant, Vec<Element>), Failure> {
    let merchant = state
        .db
        .read(|conn| {
            authenticate(
                conn,
                request.username.as_deref(),
                request.password.as_deref(),
                service,
            )
        })
        .await?;
    let consumers = &request.consumers;
    let single = matches!(service, "cc" | "uc");
    if !single && consumers.len() > MAX_CONSUMERS {
        return Err(invalid(&format!(
            "Maximum {MAX_CONSUMERS} consumers are allowed in one request"
        )));
    }
    if consumers.is_empty()
        || (single && consumers.len() != 1)
        || !consumers.iter().all(Value::is_object)
    {
        return Err(Failure::invalid_format());
    }
    let elements = consumers
        .iter()
        .map(|item| {
            let props = Props(item.as_object().expect("checked to be an object"));
            (as_sent(&props), read_consumer(&props, creating))
        })
        .collect();
    Ok((merchant, elements))
}

/// One consumer element: its ConsumerID as sent, and its ConsumerID and fields as read.
type Element = (String, Result<(String, Fields), Failure>);

/// The `ConsumerID` of an element as the client sent it, for a failure list.
fn as_sent(props: &Props) -> String {
    props.text("ConsumerID").unwrap_or_default()
}

/// A per-element failure list, or the single failure of `cc`/`uc`.
fn failed(single: bool, failures: Vec<(String, Failure)>) -> Result<Response, Failure> {
    let status = failures[0].1.code;
    if single {
        return Err(failures.into_iter().next().expect("one failure").1);
    }
    let items = failures
        .into_iter()
        .map(|(id, f)| json!({"ConsumerID": id, "Description": f.description}));
    Ok(answer(status, items))
}

/// `cc` and `cmc`: all or nothing.
async fn create(state: &AppState, inputs: &Inputs, service: &str) -> Result<Response, Failure> {
    let request = read_request(inputs)?;
    let (merchant, elements) = admit(state, &request, service, true).await?;
    let now = state.clock.now();
    let created = state
        .db
        .write(|conn| create_in(conn, &merchant, elements, now))
        .await?;
    let single = service == "cc";
    let ids = match created {
        Ok(ids) => ids,
        Err(failures) => return failed(single, failures),
    };
    let created = ids.into_iter().map(|id| {
        let full = format!("{}{id}", merchant.company_code);
        if single {
            // A JSON number, as documented; 16 digits fit a u64 exactly.
            let number: u64 = id.parse().expect("1 to 16 digits");
            json!({
                "FullConsumerCode": full,
                "Description": "Consumer number created successfully",
                "ConsumerNumber": number,
            })
        } else {
            json!({
                "FullConsumerCode": full,
                "Description": format!("Consumer number {id} created successfully"),
                "ConsumerNumber": id,
            })
        }
    });
    Ok(answer(Code::Success, created))
}

/// Every failing element's ConsumerID as sent and its failure, in the request's order.
type Failures = Vec<(String, Failure)>;

/// Creates every element unless one failed its checks or exists already: then nothing is
/// created and every failure is returned.
fn create_in(
    conn: &Connection,
    merchant: &Merchant,
    elements: Vec<Element>,
    now: DateTime<Utc>,
) -> Result<Result<Vec<String>, Failures>, Failure> {
    let mut seen = HashSet::new();
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    for (sent, read) in elements {
        let result = match read {
            Ok((id, fields)) => {
                let exists =
                    !seen.insert(id.clone()) || store::find(conn, merchant.id, &id)?.is_some();
                if exists {
                    Err(already_exists())
                } else {
                    Ok((id, fields))
                }
            }
            Err(failure) => Err(failure),
        };
        match result {
            Ok(consumer) => checked.push(consumer),
            Err(failure) => failures.push((sent, failure)),
        }
    }
    if !failures.is_empty() {
        return Ok(Err(failures));
    }
    let mut created = Vec::new();
    for (id, fields) in checked {
        if let Err(error) = store::insert(conn, merchant.id, &id, &fields, now) {
            return Err(if db::is_unique_violation(&error) {
                already_exists()
            } else {
                error.into()
            });
        }
        created.push(id);
    }
    Ok(Ok(created))
}

/// The merchant's consumer named by a full code or, failing that, a bare ConsumerID.
fn resolve(
    conn: &Connection,
    merchant: &Merchant,
    code: &str,
) -> Result<Option<store::Consumer>, DbError> {
    let company = merchant.company_code.as_str();
    if let Some(rest) = code.strip_prefix(company).filter(|rest| !rest.is_empty())
        && let Some(consumer) = store::find(conn, merchant.id, rest)?
    {
        return Ok(Some(consumer));
    }
    if code.len() <= 16 {
        return store::find(conn, merchant.id, code);
    }
    Ok(None)
}

/// `uc` and `umc`: all or nothing.
async fn update(state: &AppState, inputs: &Inputs, service: &str) -> Result<Response, Failure> {
    let request = read_request(inputs)?;
    let (merchant, elements) = admit(state, &request, service, false).await?;
    let updated = state
        .db
        .write(|conn| update_in(conn, &merchant, elements))
        .await?;
    let ids = match updated {
        Ok(ids) => ids,
        Err(failures) => return failed(service == "uc", failures),
    };
    let updated = ids.into_iter().map(|consumer_id| {
        let full = format!("{}{consumer_id}", merchant.company_code);
        json!({
            "Description": format!("ConsumerID {full} updated successfully"),
            "ConsumerID": full,
        })
    });
    Ok(answer(Code::Success, updated))
}

/// Updates every element unless one failed its checks or names no consumer of the
/// merchant: then nothing changes and every failure is returned.
fn update_in(
    conn: &Connection,
    merchant: &Merchant,
    elements: Vec<Element>,
) -> Result<Result<Vec<String>, Failures>, Failure> {
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    for (sent, read) in elements {
        let result = match read {
            Ok((code, fields)) => match resolve(conn, merchant, &code)? {
                Some(consumer) => Ok((consumer, fields)),
                None => Err(Failure::no_data()),
            },
            Err(failure) => Err(failure),
        };
        match result {
            Ok(change) => checked.push(change),
            Err(failure) => failures.push((sent, failure)),
        }
    }
    if !failures.is_empty() {
        return Ok(Err(failures));
    }
    let mut updated = Vec::new();
    for (consumer, fields) in checked {
        store::update(conn, consumer.id, &fields)?;
        updated.push(consumer.consumer_id);
    }
    Ok(Ok(updated))
}

/// `gcd`: one consumer of the merchant by its full code.
async fn get_consumer(state: &AppState, inputs: &Inputs) -> Result<Response, Failure> {
    let username = inputs.param("userName");
    let password = inputs.param("password");
    let code = inputs.param("fullConsumerCode");
    let (merchant, consumer) = state
        .db
        .read(|conn| {
            let merchant = authenticate(conn, username.as_deref(), password.as_deref(), "gcd")?;
            let code = code.ok_or_else(Failure::invalid_format)?;
            let consumer_id = code
                .strip_prefix(merchant.company_code.as_str())
                .filter(|rest| {
                    (1..=16).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit())
                })
                .ok_or_else(Failure::no_data)?;
            let consumer =
                store::find(conn, merchant.id, consumer_id)?.ok_or_else(Failure::no_data)?;
            Ok::<_, Failure>((merchant, consumer))
        })
        .await?;
    let company = merchant.company_code.as_str();
    let created_on = consumer
        .created()?
        .with_timezone(&merchant.offset())
        .naive_local();
    let body = json!([
        {"Description": "Record fetched successfully", "Status": Code::Success.as_str()},
        {
            "FullConsumerCode": format!("{company}{}", consumer.consumer_id),
            "CreatedOn": dotnet(created_on),
            "Email": consumer.email,
            "ConsumerCode": consumer.consumer_id,
            "Address": consumer.address,
            "Mobile": consumer.mobile,
            "CompanyCode": company,
            "Name": consumer.name,
        }
    ]);
    Ok(Json(body).into_response())
}
