//! No input kills the process: 1 MiB of nesting on every provider endpoint that reads a body
//! or a query, in every content type it reads, answers the provider's own bad-data envelope,
//! and after each request the sandbox is alive and its state unchanged.
//!
//! Queries carry 20,000 levels (60,000 bytes percent-encoded): request targets over about
//! 64 KiB never reach a provider. Either size overflowed the stack of the lenient JSON reader.

use crate::helpers::{TestApp, spawn_app};
use paysandbox::providers::Provider;
use paysandbox::providers::aggrepay::AggrePay;
use paysandbox::providers::chillr::Chillr;
use paysandbox::providers::jaze::Jaze;
use paysandbox::providers::paypro::PayPro;
use reqwest::{RequestBuilder, StatusCode};
use serde_json::Value;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub(crate) const MIB: usize = 1 << 20;
/// Levels of `[` in a query: 60,000 bytes once percent-encoded.
const QUERY_LEVELS: usize = 20_000;
const BOUNDARY: &str = "NestingBoundary7";

/// `unit` repeated to 1 MiB.
pub(crate) fn mib_of(unit: &str) -> String {
    unit.repeat(MIB / unit.len())
}

/// `levels` of `[` closed again: valid JSON, only too deep.
pub(crate) fn closed(levels: usize) -> String {
    format!("{}{}", "[".repeat(levels), "]".repeat(levels))
}

/// The query's deep value: `[` percent-encoded, as a client library sends it.
pub(crate) fn query_deep() -> String {
    "%5B".repeat(QUERY_LEVELS)
}

/// A multipart body of text fields, and a file field when `file` is given.
fn multipart(fields: &[(&str, &str)], file: Option<&str>) -> (String, Vec<u8>) {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    if let Some(file) = file {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"deep.json\"\r\nContent-Type: application/json\r\n\r\n{file}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    (
        format!("multipart/form-data; boundary={BOUNDARY}"),
        body.into_bytes(),
    )
}

/// A sandbox and its state right after start, to compare after every deep request.
pub(crate) struct Probe {
    pub(crate) app: TestApp,
    state: Value,
}

impl Probe {
    pub(crate) async fn start() -> Probe {
        let app = spawn_app().await;
        let state = app.get_json("/__sandbox/state").await;
        Probe { app, state }
    }

    pub(crate) fn post(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> RequestBuilder {
        self.app
            .client
            .post(self.app.url(path))
            .header("content-type", content_type)
            .body(body)
    }

    pub(crate) fn get(&self, path: &str) -> RequestBuilder {
        self.app.client.get(self.app.url(path))
    }

    /// Sends the request; then the sandbox must be alive with its state unchanged.
    pub(crate) async fn send(&self, what: &str, request: RequestBuilder) -> (StatusCode, String) {
        let response = request
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: no answer ({e})"));
        let status = response.status();
        let text = response.text().await.expect("a body");
        self.assert_unharmed(what).await;
        (status, text)
    }

    pub(crate) async fn assert_unharmed(&self, what: &str) {
        let health = self.app.get("/__sandbox/health").await;
        assert_eq!(health.status(), StatusCode::OK, "{what}: alive");
        let state = self.app.get_json("/__sandbox/state").await;
        assert!(state == self.state, "{what}: the state changed");
    }

    /// Sends the request and reads the provider's JSON answer, which must come with 200.
    pub(crate) async fn json(&self, what: &str, request: RequestBuilder) -> Value {
        let (status, text) = self.send(what, request).await;
        assert_eq!(status, StatusCode::OK, "{what}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"))
    }
}

/// PayPro's `[{"Status":"NN"},{"Description":"..."}]` as (status, description).
fn paypro_failure(what: &str, answer: &Value) -> (String, String) {
    let status = answer[0]["Status"].as_str();
    let description = answer[1]["Description"].as_str();
    match (status, description) {
        (Some(s), Some(d)) if s != "00" => (s.to_string(), d.to_string()),
        _ => panic!("{what}: not a PayPro failure: {answer}"),
    }
}

/// What PayPro answers a payload it cannot read; None for endpoints that read no JSON.
fn paypro_unreadable(endpoint: &str) -> Option<(&'static str, &'static str)> {
    match endpoint {
        "co" | "cmo" => Some(("03", "Invalid Data. Object sent from client has error")),
        "moap" | "moab" | "mofr" | "cc" | "cmc" | "uc" | "umc" => Some(("01", "Invalid Format")),
        _ => None,
    }
}

#[tokio::test]
async fn paypro_answers_its_bad_data_envelope_to_deep_json_anywhere_it_looks() {
    let probe = Probe::start().await;
    let arrays = mib_of("[");
    let objects = mib_of("{a:");
    for endpoint in PayPro.endpoints() {
        let path = format!("/paypro/cpay/{endpoint}");
        let form = |deep: &str| format!("oJson={deep}&csvOrders={deep}&userName={deep}");
        let fields = |deep| [("oJson", deep), ("csvOrders", deep), ("userName", deep)];
        let mut requests = Vec::new();
        for (shape, deep) in [("[", &arrays), ("{a:", &objects)] {
            for content_type in ["application/json", "text/plain"] {
                requests.push((
                    format!("{shape} raw {content_type}"),
                    probe.post(&path, content_type, deep.clone()),
                ));
            }
            let form_type = "application/x-www-form-urlencoded";
            requests.push((
                format!("{shape} form"),
                probe.post(&path, form_type, form(deep)),
            ));
            let (multipart_type, body) = multipart(&fields(deep.as_str()), None);
            requests.push((
                format!("{shape} multipart fields"),
                probe.post(&path, &multipart_type, body),
            ));
            let (multipart_type, body) = multipart(&[], Some(deep));
            requests.push((
                format!("{shape} multipart file"),
                probe.post(&path, &multipart_type, body),
            ));
        }
        for name in ["oJson", "csvOrders", "userName"] {
            let query = format!("{path}?{name}={}", query_deep());
            requests.push((format!("query {name}"), probe.get(&query)));
        }
        for (how, request) in requests {
            let what = format!("{endpoint}, {how}");
            let answer = probe.json(&what, request).await;
            let (status, description) = paypro_failure(&what, &answer);
            // A payload it cannot find is answered as one it cannot read.
            if let Some((code, message)) = paypro_unreadable(endpoint) {
                assert_eq!(
                    (status.as_str(), description.as_str()),
                    (code, message),
                    "{what}"
                );
            }
        }
    }
}

#[tokio::test]
async fn paypro_raw_json_in_the_request_line_nested_deep_is_bad_data() {
    let probe = Probe::start().await;
    // Targets up to 1 MiB are read (past 64 KiB the front hands the query on as a form body).
    let near_mib = MIB - 64;
    for deep in [
        "[".repeat(QUERY_LEVELS),
        "{a:".repeat(QUERY_LEVELS / 2),
        "[".repeat(near_mib),
        "{a:".repeat(near_mib / 3),
    ] {
        let request = format!(
            "POST /cpay/co?oJson={deep} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let mut stream = TcpStream::connect(("127.0.0.1", probe.app.port))
            .await
            .expect("a connection");
        stream.write_all(request.as_bytes()).await.expect("written");
        let mut raw = Vec::new();
        tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut raw))
            .await
            .expect("an answer in time")
            .expect("read");
        let raw = String::from_utf8_lossy(&raw);
        let (head, body) = raw.split_once("\r\n\r\n").expect("a whole response");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        let answer: Value = serde_json::from_str(body).expect("a JSON body");
        let what = "raw request line";
        let failure = paypro_failure(what, &answer);
        assert_eq!(
            failure,
            (
                "03".into(),
                "Invalid Data. Object sent from client has error".into()
            )
        );
        probe.assert_unharmed(what).await;
    }
}

#[tokio::test]
async fn paypro_click2pay_takes_deep_text_as_an_unknown_order() {
    let probe = Probe::start().await;
    let query = format!("/paypro/click2pay?cpayId={}", query_deep());
    let (status, _) = probe.send("click2pay page", probe.get(&query)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let deep = mib_of("[");
    for button in ["pay", "fail"] {
        let form = format!("cpayId={deep}&callback_url={deep}");
        let request = probe.post(
            &format!("/paypro/click2pay/{button}"),
            "application/x-www-form-urlencoded",
            form,
        );
        let (status, page) = probe.send(button, request).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{button}: {page}");
    }
}

const CHILLR_KEY: &str = "5695d71a6368690df2030000";
const CHILLR_SECRET: &str = "f333884a36ccfc54787e6d96eac5e3d3";

/// A Chillr request valid for both endpoints (the batch is unknown), as JSON members.
fn chillr_members() -> String {
    format!(
        r#""api_key":"{CHILLR_KEY}","api_secret_key":"{CHILLR_SECRET}","name":"Bill","expiry_date":"31-12-2099","customers":[{{"msisdn":"9447741462","amount":"200"}}],"batch_id":"000000000000000000000000""#
    )
}

/// The same request as form pairs, but for `customers`.
fn chillr_form() -> String {
    format!(
        "api_key={CHILLR_KEY}&api_secret_key={CHILLR_SECRET}&name=Bill&expiry_date=31-12-2099&batch_id=000000000000000000000000"
    )
}

#[tokio::test]
async fn chillr_reads_a_deep_body_as_an_unreadable_one() {
    let probe = Probe::start().await;
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    // Valid but for one member nested 512 Ki levels deep: before the limit it created a batch.
    let valid_but_deep = format!("{{{},\"x\":{}}}", chillr_members(), closed(MIB / 2));
    for endpoint in Chillr.endpoints() {
        let collect = *endpoint == "collect";
        // (what, content type, body, code for collect, code for check_collect_status)
        let cases = [
            ("[ as JSON", json, mib_of("["), 50, 50),
            ("[ as a form", form, mib_of("["), 50, 50),
            ("{\"a\": as JSON", json, mib_of("{\"a\":"), 50, 50),
            ("deep member as JSON", json, valid_but_deep.clone(), 50, 50),
            (
                "deep member as a form",
                form,
                valid_but_deep.clone(),
                50,
                50,
            ),
            // A JSON string too deep to read is a string: not a customer list.
            (
                "customers too deep in a form",
                form,
                format!("{}&customers={}", chillr_form(), closed(MIB / 2)),
                54,
                61,
            ),
            // Bracket names are read two levels deep and no deeper: the rest is a name.
            (
                "deep bracket name",
                form,
                format!("{}&customers[0][{}]=1", chillr_form(), mib_of("[")),
                58,
                61,
            ),
        ];
        for (what, content_type, body, collect_code, status_code) in cases {
            let what = format!("{endpoint}, {what}");
            let request = probe.post(&format!("/chillr/api/v5/{endpoint}"), content_type, body);
            let answer = probe.json(&what, request).await;
            let code = if collect { collect_code } else { status_code };
            assert_eq!(answer["status"], "failure", "{what}: {answer}");
            assert_eq!(answer["status_code"], code, "{what}: {answer}");
        }
    }
}

const AGGREPAY_KEY: &str = "aggrepay-sandbox-api-key";

#[tokio::test]
async fn aggrepay_answers_invalid_params_to_a_json_body_nested_too_deep() {
    let probe = Probe::start().await;
    let too_deep = (
        "INVALID-PARAMS",
        "The request may not be nested more than 128 levels deep.",
    );
    let unclosed = format!("{{\"api_key\":\"{AGGREPAY_KEY}\",\"x\":{}", mib_of("["));
    let closed_member = format!(
        "{{\"api_key\":\"{AGGREPAY_KEY}\",\"x\":{}}}",
        closed(MIB / 2)
    );
    let form_body = format!("api_key={AGGREPAY_KEY}&x={}", mib_of("["));
    let deep = mib_of("[");
    let (multipart_type, multipart_body) =
        multipart(&[("api_key", AGGREPAY_KEY), ("x", &deep)], None);
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    let hash_mismatch = ("HASH-MISMATCH", "Hash Mismatch");
    for endpoint in AggrePay.endpoints() {
        let cases = [
            (
                "unclosed JSON",
                json,
                unclosed.clone().into_bytes(),
                too_deep,
            ),
            (
                "unclosed JSON as a form",
                form,
                unclosed.clone().into_bytes(),
                too_deep,
            ),
            (
                "closed JSON",
                json,
                closed_member.clone().into_bytes(),
                too_deep,
            ),
            // Form and multipart values are flat text: the request is judged as usual.
            ("form", form, form_body.clone().into_bytes(), hash_mismatch),
            (
                "multipart",
                &multipart_type,
                multipart_body.clone(),
                hash_mismatch,
            ),
            (
                "[ as JSON",
                json,
                deep.clone().into_bytes(),
                ("UNAUTHORIZED", "Unauthorized"),
            ),
        ];
        for (what, content_type, body, (code, message)) in cases {
            let what = format!("{endpoint}, {what}");
            let request = probe.post(&format!("/aggrepay/api/v1/{endpoint}"), content_type, body);
            let answer = probe.json(&what, request).await;
            assert_eq!(answer["error"]["code"], code, "{what}: {answer}");
            assert_eq!(answer["error"]["message"], message, "{what}: {answer}");
            assert_eq!(answer["data"], Value::Null, "{what}");
        }
    }
}

#[tokio::test]
async fn jaze_reads_deep_query_values_as_bad_input() {
    let probe = Probe::start().await;
    for endpoint in Jaze.endpoints() {
        for name in ["userId", "fromDate", "toDate"] {
            let path = format!("/jaze/api/v1/{endpoint}?{name}={}", query_deep());
            // Jaze reads no body: a deep one beside the query changes nothing.
            for request in [
                probe.get(&path),
                probe.post(&path, "application/json", mib_of("[")),
            ] {
                let what = format!("{endpoint}, {name}");
                let request = request.basic_auth("jaze-sandbox-token", Some("jaze-sandbox-key"));
                let answer = probe.json(&what, request).await;
                if answer["status"] == "failure" {
                    assert_eq!(answer["errorCode"], 400, "{what}: {answer}");
                } else {
                    // S1 takes no user id and reads no date that is there: every payment.
                    let every_payment = (*endpoint, name) == ("get_all_payment_ids", "userId");
                    assert!(every_payment, "{what}: {answer}");
                }
            }
        }
    }
}
