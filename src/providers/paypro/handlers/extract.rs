//! The extractors of PayPro's requests: [`Payload`] gathers everything PayPro reads from a
//! request (query, form, uploaded file, raw body; see [`crate::providers::paypro::payload`]),
//! [`Authenticated`] reads the endpoint's typed input from it and checks the credentials and
//! the service before the handler runs, and [`Click2PayBase`] is the hosted payment page's
//! address as the client reached the sandbox.

use crate::diagnosis::Diagnosis;
use crate::providers::endpoint::Endpoint as _;
use crate::providers::paypro::diagnoses;
use crate::providers::paypro::endpoints::Endpoint;
use crate::providers::paypro::errors::Failure;
use crate::providers::paypro::payload::Inputs;
use crate::providers::paypro::payload::parse_lenient;
use crate::providers::paypro::rules::{ConsumerElement, MAX_CSV_ORDERS, Wanted, credentials};
use crate::providers::paypro::rules::{consumer_elements, no_main_table, object_error};
use crate::providers::paypro::rules::{order_elements, wanted};
use crate::providers::paypro::store::merchants::{self, Merchant};
use crate::providers::paypro::wire::{ConsumerQuery, CsvOrders, MerchantHead, OrderRequest};
use crate::providers::paypro::wire::{PaidOrdersQuery, StatusQuery};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::convert::Infallible;
use std::sync::Arc;

/// What an endpoint reads from a request before its credentials are checked.
pub trait Input: Sized {
    /// The username, the password and the rest of the input; a failure here answers before
    /// any credential failure.
    fn read(inputs: &Inputs, endpoint: Endpoint) -> Result<Given<Self>, Failure>;
}

/// An input with the credentials it came with.
pub struct Given<T> {
    pub username: Option<String>,
    pub password: Option<String>,
    pub input: T,
}

/// A request of a merchant whose credentials and service were checked: the merchant and
/// the endpoint's input.
pub struct Authenticated<T> {
    pub merchant: Arc<Merchant>,
    pub input: T,
}

impl<T: Input + Send> FromRequest<AppState> for Authenticated<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        // Every documented route carries its endpoint (see `endpoints.rs`).
        let endpoint = request.extensions().get::<Endpoint>().copied();
        let endpoint = endpoint.ok_or_else(|| Failure::service_fail().into_response())?;
        let Payload(inputs) = Payload::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        authenticate(state, &inputs, endpoint)
            .await
            .map_err(IntoResponse::into_response)
    }
}

/// The input read, then the credentials: checked as given, the merchant read, then its
/// password and services checked outside the read.
async fn authenticate<T: Input>(
    state: &AppState,
    inputs: &Inputs,
    endpoint: Endpoint,
) -> Result<Authenticated<T>, Failure> {
    let service = endpoint.name();
    let given = T::read(inputs, endpoint)?;
    let (username, password) = credentials::given(
        given.username.as_deref(),
        given.password.as_deref(),
        service,
    )?;
    let found = state
        .db
        .read_memo(merchants::TABLE, username, |conn| {
            merchants::by_username(conn, username)
        })
        .await?;
    let near = match found {
        Some(_) => None,
        None => {
            let known = state.db.read(merchants::all).await?;
            credentials::closest(username, known.iter().map(|m| m.username.as_str()))
        }
    };
    let admitted = credentials::admit(found, username, password, service);
    let merchant = admitted.map_err(|failure| match near {
        Some(known) => failure.with(diagnoses::misspelled_user(service, username, &known)),
        None => failure,
    })?;
    Ok(Authenticated {
        merchant,
        input: given.input,
    })
}

/// Everything PayPro reads from the request; the body is read whole first (a body the
/// server front refuses is refused as before).
pub struct Payload(pub Inputs);

impl FromRequest<AppState> for Payload {
    type Rejection = BytesRejection;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let query = request.uri().query().map(str::to_string);
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = Bytes::from_request(request, state).await?;
        let inputs = Inputs::read(query.as_deref(), content_type.as_deref(), &body).await;
        Ok(Payload(inputs))
    }
}

/// `http://<host><tenant prefix>/paypro/click2pay?cpayId=`, the `Host` the client sent (else
/// `localhost:<port>`), to which `co`/`cmo` append the ConnectPayId.
pub struct Click2PayBase(pub String);

impl FromRequestParts<AppState> for Click2PayBase {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
            .unwrap_or_else(|| format!("localhost:{}", state.port));
        Ok(Click2PayBase(format!(
            "http://{host}{}/paypro/click2pay?cpayId=",
            state.prefix
        )))
    }
}

/// `oJson`: element 0 (the credentials) and the elements after it, when the payload is a
/// JSON array (read leniently) whose element 0 is an object; else why not: not found (and
/// what each place held), or found but not that array.
fn o_json(inputs: &Inputs) -> Result<(MerchantHead, Vec<Value>), Box<Diagnosis>> {
    let Some((text, place)) = inputs.payload_at("oJson") else {
        let found = inputs.searched("oJson");
        return Err(Box::new(diagnoses::payload_not_found("oJson", &found)));
    };
    let unreadable = || {
        let wanted = "a JSON array: element 0 {MerchantId, MerchantPassword}, then the elements";
        Box::new(diagnoses::payload_unreadable("oJson", &place, wanted))
    };
    let Some(Value::Array(mut items)) = parse_lenient(&text) else {
        return Err(unreadable());
    };
    if !items.first().is_some_and(Value::is_object) {
        return Err(unreadable());
    }
    let elements = items.split_off(1);
    let head = items.pop().and_then(|h| serde_json::from_value(h).ok());
    Ok((head.ok_or_else(unreadable)?, elements))
}

/// The orders of `co`/`cmo`; their shape's failure answers after the credentials'.
pub struct Orders(pub Result<Vec<OrderRequest>, Failure>);

impl Input for Orders {
    fn read(inputs: &Inputs, endpoint: Endpoint) -> Result<Given<Self>, Failure> {
        let (head, elements) = o_json(inputs).map_err(|d| object_error().with(*d))?;
        if !head.given {
            return Err(no_main_table());
        }
        Ok(Given {
            username: head.merchant_id,
            password: head.merchant_password,
            input: Orders(order_elements(elements, endpoint == Endpoint::Co)),
        })
    }
}

/// The consumers of `cc`/`cmc`/`uc`/`umc`, each read; their shape's failure answers after
/// the credentials'.
pub struct Consumers(pub Result<Vec<ConsumerElement>, Failure>);

impl Input for Consumers {
    fn read(inputs: &Inputs, endpoint: Endpoint) -> Result<Given<Self>, Failure> {
        let (head, elements) = o_json(inputs).map_err(|d| Failure::invalid_format().with(*d))?;
        if !head.given {
            return Err(Failure::invalid_format());
        }
        let single = matches!(endpoint, Endpoint::Cc | Endpoint::Uc);
        let creating = matches!(endpoint, Endpoint::Cc | Endpoint::Cmc);
        Ok(Given {
            username: head.merchant_id,
            password: head.merchant_password,
            input: Consumers(consumer_elements(elements, single, creating)),
        })
    }
}

/// `csvOrders` of `moap`/`moab`/`mofr`: the wanted changes; their failure answers after the
/// credentials'.
pub struct Changes(pub Result<Vec<Wanted>, Failure>);

impl Input for Changes {
    fn read(inputs: &Inputs, endpoint: Endpoint) -> Result<Given<Self>, Failure> {
        let (text, place) = inputs.payload_at("csvOrders").ok_or_else(|| {
            let found = inputs.searched("csvOrders");
            Failure::invalid_format().with(diagnoses::payload_not_found("csvOrders", &found))
        })?;
        let unreadable = |wanted: &str| {
            Failure::invalid_format().with(diagnoses::payload_unreadable(
                "csvOrders",
                &place,
                wanted,
            ))
        };
        if text.chars().count() > MAX_CSV_ORDERS {
            return Err(unreadable("a JSON object of at most 4000 characters"));
        }
        let Some(Value::Object(object)) = parse_lenient(&text) else {
            return Err(unreadable(
                "a JSON object {Username, Password, CsvOrderNumbers}",
            ));
        };
        let csv = CsvOrders::from(object);
        let refunds = endpoint == Endpoint::Mofr;
        let wanted = csv
            .csv_order_numbers
            .as_deref()
            .and_then(|csv| wanted(csv, refunds));
        Ok(Given {
            username: csv.username,
            password: csv.password,
            input: Changes(
                wanted
                    .filter(|w| !w.is_empty())
                    .ok_or_else(Failure::invalid_format),
            ),
        })
    }
}

/// A query's credentials: `userName` (any case) and `password`, from the query or form.
fn from_params<T>(inputs: &Inputs, input: T) -> Result<Given<T>, Failure> {
    Ok(Given {
        username: inputs.param("userName"),
        password: inputs.param("password"),
        input,
    })
}

impl Input for StatusQuery {
    fn read(inputs: &Inputs, _: Endpoint) -> Result<Given<Self>, Failure> {
        let cpay_id = inputs.param("cpayId");
        from_params(inputs, StatusQuery { cpay_id })
    }
}

impl Input for PaidOrdersQuery {
    fn read(inputs: &Inputs, _: Endpoint) -> Result<Given<Self>, Failure> {
        let start_date = inputs.param("startDate");
        let end_date = inputs.param("endDate");
        from_params(
            inputs,
            PaidOrdersQuery {
                start_date,
                end_date,
            },
        )
    }
}

impl Input for ConsumerQuery {
    fn read(inputs: &Inputs, _: Endpoint) -> Result<Given<Self>, Failure> {
        let full_consumer_code = inputs.param("fullConsumerCode");
        from_params(inputs, ConsumerQuery { full_consumer_code })
    }
}
