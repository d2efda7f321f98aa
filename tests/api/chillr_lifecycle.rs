//! Chillr: the batch lifecycle through the control plane and the clock, magic msisdns, fixtures of batches mid-way, merchant isolation.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The sample merchant of the document (in the default fixtures).
pub(crate) const API_KEY: &str = "5695d71a6368690df2030000";
pub(crate) const API_SECRET: &str = "f333884a36ccfc54787e6d96eac5e3d3";
/// A Chillr user in the default fixtures.
pub(crate) const USER: &str = "9447741462";
/// Not a Chillr user.
pub(crate) const NON_USER: &str = "9633789451";
/// The expired sample batch of the default fixtures.
const SAMPLE_BATCH: &str = "5743fcb263686923fc0d0000";
/// The instant every test freezes the sandbox clock at, and its day (India time).
pub(crate) const FROZEN: &str = "2026-03-10T10:00:00+05:30";
pub(crate) const TODAY: &str = "10-03-2026";
/// A week after the frozen day.
pub(crate) const NEXT_WEEK: &str = "17-03-2026";

pub(crate) const COLLECT: &str = "/chillr/api/v5/collect";
pub(crate) const CHECK: &str = "/chillr/api/v5/check_collect_status";

/// Changes the sandbox clock (`{"set": ...}`, `{"advance": ...}`, `{"advance_seconds": n}`).
pub(crate) async fn clock(app: &TestApp, change: Value) {
    let (status, answer) = status_and_json(app.post_json("/__sandbox/clock", &change).await).await;
    assert_eq!(status, StatusCode::OK, "{change}: {answer}");
}

/// Freezes the clock at [`FROZEN`].
pub(crate) async fn freeze(app: &TestApp) {
    clock(app, json!({"set": FROZEN})).await;
}

/// Registers Chillr users through the control plane.
pub(crate) async fn register(app: &TestApp, msisdns: &[&str]) {
    let (status, answer) = status_and_json(
        app.post_json("/__sandbox/chillr/users", &json!({ "msisdns": msisdns }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

/// A create-batch body for the sample merchant, expiring a week after the frozen day.
pub(crate) fn collect_body(customers: Value) -> Value {
    json!({
        "api_key": API_KEY,
        "api_secret_key": API_SECRET,
        "name": "Electricity bill",
        "expiry_date": NEXT_WEEK,
        "customers": customers,
    })
}

/// Posts a create-batch body; Chillr answers every outcome with HTTP 200.
pub(crate) async fn collect(app: &TestApp, body: &Value) -> Value {
    let (status, answer) = status_and_json(app.post_json(COLLECT, body).await).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

/// Creates a batch from a full body and returns its batch_id.
pub(crate) async fn create_with(app: &TestApp, body: &Value) -> String {
    let answer = collect(app, body).await;
    assert_eq!(answer["status"], "success", "{answer}");
    assert_eq!(answer["status_code"], 0, "{answer}");
    let batch_id = answer["data"]["batch_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no batch_id: {answer}"))
        .to_string();
    assert!(
        batch_id.len() == 24
            && batch_id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{batch_id}"
    );
    batch_id
}

/// Creates a batch of these customers for the sample merchant and returns its batch_id.
pub(crate) async fn create(app: &TestApp, customers: Value) -> String {
    create_with(app, &collect_body(customers)).await
}

/// check_collect_status with the given credentials: the whole answer.
pub(crate) async fn check_as(app: &TestApp, api_key: &str, secret: &str, batch_id: &str) -> Value {
    let body = json!({"api_key": api_key, "api_secret_key": secret, "batch_id": batch_id});
    let (status, answer) = status_and_json(app.post_json(CHECK, &body).await).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

/// The sample merchant's check_collect_status: its `data`, which must be a success.
pub(crate) async fn status(app: &TestApp, batch_id: &str) -> Value {
    let answer = check_as(app, API_KEY, API_SECRET, batch_id).await;
    assert_eq!(answer["status"], "success", "{answer}");
    assert_eq!(answer["status_code"], 0, "{answer}");
    answer["data"].clone()
}

/// Acts as the customer: `POST /__sandbox/chillr/batches/{batch_id}/customers/{msisdn}`.
pub(crate) async fn act(
    app: &TestApp,
    batch_id: &str,
    msisdn: &str,
    action: &str,
) -> (StatusCode, Value) {
    let path = format!("/__sandbox/chillr/batches/{batch_id}/customers/{msisdn}");
    status_and_json(app.post_json(&path, &json!({ "action": action })).await).await
}

/// The number of Chillr batches in the exported state.
pub(crate) async fn batch_count(app: &TestApp) -> usize {
    app.get_json("/__sandbox/state").await["chillr"]["batches"]
        .as_array()
        .expect("a batches list")
        .len()
}

/// The one customer entry of this msisdn in a status view.
pub(crate) fn customer<'a>(view: &'a Value, msisdn: &str) -> &'a Value {
    view["customers"]
        .as_array()
        .expect("a customers list")
        .iter()
        .find(|c| c["msisdn"] == msisdn)
        .unwrap_or_else(|| panic!("no customer {msisdn} in {view}"))
}

fn is_transaction_id(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|t| t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()))
}

async fn post_empty(app: &TestApp, path: &str) -> StatusCode {
    app.client
        .post(app.url(path))
        .send()
        .await
        .expect("a response")
        .status()
}

#[tokio::test]
async fn a_batch_goes_from_active_to_completed_as_its_customers_pay_and_decline() {
    let app = spawn_app().await;
    freeze(&app).await;
    register(&app, &["9847012345", "8123456789"]).await;

    let body = collect_body(json!([
        {"msisdn": USER, "amount": "200"},
        {"msisdn": NON_USER, "amount": "600"},
        {"msisdn": "9847012345", "amount": "150.50"},
        {"msisdn": "8123456789", "amount": 75},
    ]));
    let answer = collect(&app, &body).await;
    assert_eq!(answer["message"], "Collect batch creation accepted");
    assert_eq!(answer["data"]["non_chillr_customers"], json!([NON_USER]));
    let batch_id = answer["data"]["batch_id"].as_str().unwrap().to_string();
    // An ObjectId: 4 bytes of creation time (the sandbox clock), then counter/random.
    let created = chrono::DateTime::parse_from_rfc3339(FROZEN)
        .unwrap()
        .timestamp();
    assert_eq!(batch_id[..8], format!("{created:08x}"), "{batch_id}");

    let view = status(&app, &batch_id).await;
    assert_eq!(view["batch_id"], batch_id);
    assert_eq!(view["batch_status"], "active");
    assert_eq!(view["name"], "Electricity bill");
    assert_eq!(view["expiry_date"], NEXT_WEEK);
    assert_eq!(view["non_chillr_customers"], json!([NON_USER]));
    let customers = view["customers"].as_array().unwrap();
    let order: Vec<&str> = customers
        .iter()
        .map(|c| c["msisdn"].as_str().unwrap())
        .collect();
    assert_eq!(order, [USER, NON_USER, "9847012345", "8123456789"]);
    assert_eq!(
        customers[1],
        json!({"msisdn": NON_USER, "message": "Transaction not generated"})
    );
    let mut transaction_ids = Vec::new();
    for (entry, amount) in [
        (&customers[0], "200"),
        (&customers[2], "150.50"),
        (&customers[3], "75"),
    ] {
        assert_eq!(entry["payment_status"], "pending", "{entry}");
        assert_eq!(entry["amount"], amount, "{entry}");
        assert!(is_transaction_id(&entry["transaction_id"]), "{entry}");
        assert!(entry.get("paid_at").is_none(), "{entry}");
        transaction_ids.push(entry["transaction_id"].as_str().unwrap().to_string());
    }
    transaction_ids.sort();
    transaction_ids.dedup();
    assert_eq!(transaction_ids.len(), 3, "transaction ids are distinct");

    let (code, paid) = act(&app, &batch_id, USER, "pay").await;
    assert_eq!(code, StatusCode::OK, "{paid}");
    assert_eq!(customer(&paid, USER)["payment_status"], "paid");
    assert_eq!(customer(&paid, USER)["paid_at"], FROZEN);
    assert_eq!(
        customer(&paid, USER)["transaction_id"],
        customers[0]["transaction_id"]
    );
    assert_eq!(paid["batch_status"], "active");

    let (code, declined) = act(&app, &batch_id, "9847012345", "decline").await;
    assert_eq!(code, StatusCode::OK, "{declined}");
    let entry = customer(&declined, "9847012345");
    assert_eq!(entry["payment_status"], "declined");
    assert!(entry.get("paid_at").is_none(), "{entry}");
    assert_eq!(declined["batch_status"], "active");

    let (code, again) = act(&app, &batch_id, USER, "pay").await;
    assert_eq!(code, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["payment_status"], "paid");
    assert!(again["error"].is_string(), "{again}");
    let (code, again) = act(&app, &batch_id, "9847012345", "decline").await;
    assert_eq!(code, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["payment_status"], "declined");
    let (code, again) = act(&app, &batch_id, "9847012345", "pay").await;
    assert_eq!(code, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["payment_status"], "declined");

    let (code, last) = act(&app, &batch_id, "8123456789", "pay").await;
    assert_eq!(code, StatusCode::OK, "{last}");
    assert_eq!(last["batch_status"], "completed");

    let view = status(&app, &batch_id).await;
    assert_eq!(view, last, "the action answers the status view");
    let statuses: Vec<&Value> = view["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.get("payment_status").unwrap_or(&Value::Null))
        .collect();
    assert_eq!(
        statuses,
        [
            &json!("paid"),
            &Value::Null,
            &json!("declined"),
            &json!("paid")
        ]
    );
    assert_eq!(customer(&view, "8123456789")["paid_at"], FROZEN);
}

#[tokio::test]
async fn the_root_paths_serve_the_same_batches() {
    let app = spawn_app().await;
    freeze(&app).await;
    let body = collect_body(json!([{"msisdn": USER, "amount": "200"}]));
    let (_, answer) = status_and_json(app.post_json("/api/v5/collect", &body).await).await;
    assert_eq!(answer["status_code"], 0, "{answer}");
    let batch_id = answer["data"]["batch_id"].as_str().unwrap();
    let check = json!({"api_key": API_KEY, "api_secret_key": API_SECRET, "batch_id": batch_id});
    let (_, root) =
        status_and_json(app.post_json("/api/v5/check_collect_status", &check).await).await;
    assert_eq!(root["data"], status(&app, batch_id).await);
    assert_eq!(root["data"]["customers"][0]["payment_status"], "pending");
}

#[tokio::test]
async fn a_pending_request_expires_after_the_last_second_of_its_expiry_date_in_india() {
    let app = spawn_app().await;
    freeze(&app).await;
    register(&app, &["9847012345", "8123456789"]).await;
    let mut body = collect_body(json!([
        {"msisdn": USER, "amount": "200"},
        {"msisdn": "9847012345", "amount": "300"},
    ]));
    body["expiry_date"] = json!(TODAY);
    let open = create_with(&app, &body).await;
    let (code, _) = act(&app, &open, "9847012345", "pay").await;
    assert_eq!(code, StatusCode::OK);

    // A batch whose requests are all final before the expiry.
    body["customers"] = json!([
        {"msisdn": USER, "amount": "10"},
        {"msisdn": "8123456789", "amount": "20"},
    ]);
    let done = create_with(&app, &body).await;
    assert_eq!(act(&app, &done, USER, "pay").await.0, StatusCode::OK);
    assert_eq!(
        act(&app, &done, "8123456789", "decline").await.0,
        StatusCode::OK
    );
    assert_eq!(status(&app, &done).await["batch_status"], "completed");

    clock(&app, json!({"advance": "PT13H59M59S"})).await;
    let view = status(&app, &open).await;
    assert_eq!(view["batch_status"], "active", "{view}");
    assert_eq!(customer(&view, USER)["payment_status"], "pending");

    clock(&app, json!({"advance_seconds": 1})).await;
    let now = app.get_json("/__sandbox/clock").await;
    assert_eq!(now["frozen"], true);
    let view = status(&app, &open).await;
    assert_eq!(view["batch_status"], "expired", "{view}");
    assert_eq!(customer(&view, USER)["payment_status"], "expired");
    assert!(is_transaction_id(&customer(&view, USER)["transaction_id"]));
    let paid = customer(&view, "9847012345");
    assert_eq!(paid["payment_status"], "paid", "a paid request stays paid");
    assert_eq!(paid["paid_at"], FROZEN);

    for action in ["pay", "decline"] {
        let (code, answer) = act(&app, &open, USER, action).await;
        assert_eq!(code, StatusCode::CONFLICT, "{answer}");
        assert_eq!(answer["payment_status"], "expired");
    }
    assert_eq!(
        customer(&status(&app, &open).await, USER)["payment_status"],
        "expired"
    );

    let view = status(&app, &done).await;
    assert_eq!(view["batch_status"], "completed", "{view}");
    assert_eq!(customer(&view, USER)["payment_status"], "paid");
    assert_eq!(customer(&view, "8123456789")["payment_status"], "declined");
}

#[tokio::test]
async fn acting_on_an_unknown_batch_or_customer_or_with_a_bad_body_is_refused_and_changes_nothing()
{
    let app = spawn_app().await;
    freeze(&app).await;
    let batch_id = create(
        &app,
        json!([{"msisdn": USER, "amount": "200"}, {"msisdn": NON_USER, "amount": "600"}]),
    )
    .await;
    let before = status(&app, &batch_id).await;

    let (code, answer) = act(&app, "ffffffffffffffffffffffff", USER, "pay").await;
    assert_eq!(code, StatusCode::NOT_FOUND, "{answer}");
    assert!(answer["error"].is_string(), "{answer}");
    let (code, answer) = act(&app, &batch_id, "9847012345", "pay").await;
    assert_eq!(code, StatusCode::NOT_FOUND, "{answer}");
    assert!(answer["error"].is_string(), "{answer}");
    let (code, answer) = act(&app, &batch_id, "not-a-number", "pay").await;
    assert_eq!(code, StatusCode::NOT_FOUND, "{answer}");

    let (code, answer) = act(&app, &batch_id, NON_USER, "pay").await;
    assert_eq!(code, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["payment_status"], Value::Null);
    assert!(answer.get("payment_status").is_some(), "{answer}");

    let path = format!("/__sandbox/chillr/batches/{batch_id}/customers/{USER}");
    let (code, answer) = act(&app, &batch_id, USER, "refund").await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{answer}");
    assert!(answer["error"].is_string(), "{answer}");
    let (code, answer) = status_and_json(app.post_text(&path, "pay").await).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(post_empty(&app, &path).await, StatusCode::BAD_REQUEST);
    assert_eq!(status(&app, &batch_id).await, before, "nothing changed");

    let (code, answer) = act(&app, &batch_id, "+919447741462", "pay").await;
    assert_eq!(code, StatusCode::OK, "{answer}");
    assert_eq!(customer(&answer, USER)["payment_status"], "paid");

    // The document's sample batch expired in 2016.
    let (code, answer) = act(&app, SAMPLE_BATCH, USER, "pay").await;
    assert_eq!(code, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["payment_status"], "expired");
}

#[tokio::test]
async fn a_user_ending_0001_pays_at_once_and_one_ending_0002_declines_after_a_minute() {
    let app = spawn_app().await;
    freeze(&app).await;
    register(&app, &["9000000001", "9000000002"]).await;
    let batch_id = create(
        &app,
        json!([
            {"msisdn": "9000000001", "amount": "100"},
            {"msisdn": "9000000002", "amount": "200"},
        ]),
    )
    .await;
    let view = status(&app, &batch_id).await;
    assert_eq!(customer(&view, "9000000001")["payment_status"], "paid");
    assert_eq!(customer(&view, "9000000001")["paid_at"], FROZEN);
    assert_eq!(customer(&view, "9000000002")["payment_status"], "pending");
    assert_eq!(view["batch_status"], "active");

    clock(&app, json!({"advance_seconds": 59})).await;
    let view = status(&app, &batch_id).await;
    assert_eq!(customer(&view, "9000000002")["payment_status"], "pending");
    assert_eq!(view["batch_status"], "active");

    clock(&app, json!({"advance_seconds": 1})).await;
    let view = status(&app, &batch_id).await;
    assert_eq!(customer(&view, "9000000002")["payment_status"], "declined");
    assert!(customer(&view, "9000000002").get("paid_at").is_none());
    assert_eq!(view["batch_status"], "completed");

    for action in ["pay", "decline"] {
        let (code, answer) = act(&app, &batch_id, "9000000002", action).await;
        assert_eq!(code, StatusCode::CONFLICT, "{answer}");
        assert_eq!(answer["payment_status"], "declined");
    }
    let (code, answer) = act(&app, &batch_id, "9000000001", "decline").await;
    assert_eq!(code, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["payment_status"], "paid");

    // Paid within its minute, a 0002 request stays paid.
    let batch_id = create(&app, json!([{"msisdn": "9000000002", "amount": "200"}])).await;
    clock(&app, json!({"advance_seconds": 30})).await;
    let (code, answer) = act(&app, &batch_id, "9000000002", "pay").await;
    assert_eq!(code, StatusCode::OK, "{answer}");
    clock(&app, json!({"advance": "PT2M"})).await;
    let view = status(&app, &batch_id).await;
    assert_eq!(customer(&view, "9000000002")["payment_status"], "paid");
    assert_eq!(
        customer(&view, "9000000002")["paid_at"],
        "2026-03-10T10:01:30+05:30"
    );
}

#[tokio::test]
async fn a_customer_9000000059_makes_collect_answer_59_and_creates_nothing() {
    let app = spawn_app().await;
    freeze(&app).await;
    let before = app.get_json("/__sandbox/state").await;
    let answer = collect(
        &app,
        &collect_body(json!([
            {"msisdn": USER, "amount": "200"},
            {"msisdn": "9000000059", "amount": "300"},
        ])),
    )
    .await;
    assert_eq!(
        answer,
        json!({"status": "failure", "status_code": 59, "message": "Internal server error"})
    );
    assert_eq!(app.get_json("/__sandbox/state").await, before);
    assert_eq!(batch_count(&app).await, 1, "only the sample batch");

    // Invalid parameters are judged first.
    let answer = collect(
        &app,
        &collect_body(json!([
            {"msisdn": "+919000000059", "amount": "300"},
            {"msisdn": USER, "amount": "-3"},
        ])),
    )
    .await;
    assert_eq!(answer["status_code"], 58, "{answer}");
    assert_eq!(
        answer["data"]["reason"],
        json!(["customer 2 : invalid amount"])
    );
    let answer = collect(
        &app,
        &collect_body(json!([{"msisdn": "+919000000059", "amount": "300"}])),
    )
    .await;
    assert_eq!(
        answer["status_code"], 59,
        "a prefixed form is the same number"
    );
    assert_eq!(app.get_json("/__sandbox/state").await, before);
}

#[tokio::test]
async fn the_magic_list_names_chillrs_three_magic_values() {
    let app = spawn_app().await;
    let magic = app.get_json("/__sandbox/magic").await;
    let chillr = magic["chillr"].as_array().expect("a chillr list");
    assert_eq!(chillr.len(), 3, "{magic}");
    assert!(chillr.iter().any(|m| m["value"] == "9000000059"), "{magic}");
    assert!(
        chillr
            .iter()
            .any(|m| m["value"].as_str().unwrap().contains("0001")),
        "{magic}"
    );
    assert!(
        chillr
            .iter()
            .any(|m| m["value"].as_str().unwrap().contains("0002")),
        "{magic}"
    );
    assert!(chillr.iter().all(|m| m["effect"].is_string()), "{magic}");
}

#[tokio::test]
async fn another_merchants_batch_id_answers_exactly_like_an_unknown_one() {
    let app = spawn_app().await;
    freeze(&app).await;
    let other = json!({"chillr": {"merchants": [{"api_key": "merchant-b-key", "api_secret_key": "merchant-b-secret"}]}});
    assert_eq!(
        app.post_json("/__sandbox/fixtures", &other).await.status(),
        StatusCode::CREATED
    );
    let batch_id = create(&app, json!([{"msisdn": USER, "amount": "200"}])).await;

    let foreign = check_as(&app, "merchant-b-key", "merchant-b-secret", &batch_id).await;
    assert_eq!(
        foreign,
        json!({"status": "failure", "status_code": 61, "message": "Batch not found error"})
    );
    let unknown = check_as(
        &app,
        "merchant-b-key",
        "merchant-b-secret",
        "ffffffffffffffffffffffff",
    )
    .await;
    assert_eq!(foreign, unknown);
    let sample = check_as(&app, "merchant-b-key", "merchant-b-secret", SAMPLE_BATCH).await;
    assert_eq!(sample, unknown);

    // Merchant B's own batch is just as invisible to the sample merchant.
    let mut body = collect_body(json!([{"msisdn": USER, "amount": "5"}]));
    body["api_key"] = json!("merchant-b-key");
    body["api_secret_key"] = json!("merchant-b-secret");
    let theirs = create_with(&app, &body).await;
    assert_eq!(
        check_as(&app, "merchant-b-key", "merchant-b-secret", &theirs).await["data"]["batch_id"],
        theirs
    );
    assert_eq!(check_as(&app, API_KEY, API_SECRET, &theirs).await, unknown);
    assert_eq!(status(&app, &batch_id).await["batch_id"], batch_id);
}

fn midway_fixture() -> Value {
    json!({"chillr": {
        "users": ["9847012345", "8123456789", "7012345678"],
        "batches": [{
            "batch_id": "65ed3c0a1a2b3c4d5e6f7081",
            "api_key": API_KEY,
            "name": "Water bill",
            "expiry_date": "31-03-2026",
            "created_at": "2026-03-09T04:30:00Z",
            "customers": [
                {"msisdn": USER, "amount": "200", "payment_status": "paid",
                 "transaction_id": "123456789012", "acted_at": "2026-03-09T05:00:00Z"},
                {"msisdn": "9847012345", "amount": "300.25", "payment_status": "paid",
                 "acted_at": "2026-03-09T18:15:30+05:30"},
                {"msisdn": "8123456789", "amount": "400", "payment_status": "declined",
                 "acted_at": "2026-03-09T06:00:00Z"},
                {"msisdn": "7012345678", "amount": "500", "payment_status": "pending"},
                {"msisdn": NON_USER, "amount": "600", "payment_status": "not_generated"},
            ]
        }]
    }})
}

#[tokio::test]
async fn a_batch_loaded_mid_way_shows_exactly_its_statuses_and_survives_export_and_reload() {
    let app = spawn_app().await;
    freeze(&app).await;
    let (code, answer) = status_and_json(
        app.post_json("/__sandbox/fixtures", &midway_fixture())
            .await,
    )
    .await;
    assert_eq!(code, StatusCode::CREATED, "{answer}");

    let view = status(&app, "65ed3c0a1a2b3c4d5e6f7081").await;
    assert_eq!(view["batch_status"], "active");
    assert_eq!(view["name"], "Water bill");
    assert_eq!(view["expiry_date"], "31-03-2026");
    assert_eq!(view["non_chillr_customers"], json!([NON_USER]));
    let customers = view["customers"].as_array().unwrap();
    assert_eq!(customers.len(), 5);
    assert_eq!(
        customers[0],
        json!({"msisdn": USER, "amount": "200", "payment_status": "paid",
               "transaction_id": "123456789012", "paid_at": "2026-03-09T10:30:00+05:30"})
    );
    assert_eq!(customers[1]["payment_status"], "paid");
    assert_eq!(customers[1]["paid_at"], "2026-03-09T18:15:30+05:30");
    assert_eq!(customers[1]["amount"], "300.25");
    assert!(is_transaction_id(&customers[1]["transaction_id"]));
    assert_eq!(customers[2]["payment_status"], "declined");
    assert!(customers[2].get("paid_at").is_none(), "{}", customers[2]);
    assert_eq!(customers[3]["payment_status"], "pending");
    assert!(customers[3].get("paid_at").is_none(), "{}", customers[3]);
    assert_eq!(
        customers[4],
        json!({"msisdn": NON_USER, "message": "Transaction not generated"})
    );

    // The pending one can still be paid.
    let (code, answer) = act(&app, "65ed3c0a1a2b3c4d5e6f7081", "7012345678", "pay").await;
    assert_eq!(code, StatusCode::OK, "{answer}");
    assert_eq!(answer["batch_status"], "completed");
    let view = status(&app, "65ed3c0a1a2b3c4d5e6f7081").await;

    let exported = app.get_json("/__sandbox/state").await;
    assert_eq!(
        post_empty(&app, "/__sandbox/reset?empty=true").await,
        StatusCode::OK
    );
    assert_eq!(batch_count(&app).await, 0);
    let (code, answer) =
        status_and_json(app.post_json("/__sandbox/fixtures", &exported).await).await;
    assert_eq!(code, StatusCode::CREATED, "{answer}");
    assert_eq!(app.get_json("/__sandbox/state").await, exported);
    freeze(&app).await;
    assert_eq!(status(&app, "65ed3c0a1a2b3c4d5e6f7081").await, view);
}

/// Posts a fixture that must be refused at `path`; checks that nothing changed.
async fn assert_fixture_refused(app: &TestApp, fixture: Value, path: &str, message_part: &str) {
    let before = app.get_json("/__sandbox/state").await;
    let (code, answer) =
        status_and_json(app.post_json("/__sandbox/fixtures", &fixture).await).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["error"], "fixture refused", "{answer}");
    assert_eq!(answer["path"], path, "{answer}");
    let message = answer["message"].as_str().unwrap();
    assert!(message.contains(message_part), "{answer}");
    assert_eq!(app.get_json("/__sandbox/state").await, before);
}

#[tokio::test]
async fn a_fixture_batch_with_a_bad_merchant_msisdn_status_or_duplicate_id_is_refused_whole() {
    let app = spawn_app().await;
    let batch = |customers: Value| json!({"api_key": API_KEY, "name": "Gas", "expiry_date": "31-03-2026", "customers": customers});
    // Every refused document also registers a user, which must not stay.
    let mut unknown_merchant = batch(json!([{"msisdn": USER, "amount": "1"}]));
    unknown_merchant["api_key"] = json!("no-such-merchant");
    assert_fixture_refused(
        &app,
        json!({"chillr": {"users": ["9847012345"], "batches": [unknown_merchant]}}),
        "chillr.batches[0].api_key",
        "no-such-merchant",
    )
    .await;
    assert_fixture_refused(
        &app,
        json!({"chillr": {"users": ["9847012345"], "batches": [batch(json!([
            {"msisdn": USER, "amount": "1"},
            {"msisdn": "5447741462", "amount": "2"},
        ]))]}}),
        "chillr.batches[0].customers[1].msisdn",
        "5447741462",
    )
    .await;
    assert_fixture_refused(
        &app,
        json!({"chillr": {"users": ["9847012345"], "batches": [batch(json!([
            {"msisdn": USER, "amount": "1", "payment_status": "expired"},
        ]))]}}),
        "chillr.batches[0].customers[0].payment_status",
        "expired",
    )
    .await;
    let mut duplicate = batch(json!([{"msisdn": USER, "amount": "1"}]));
    duplicate["batch_id"] = json!(SAMPLE_BATCH);
    assert_fixture_refused(
        &app,
        json!({"chillr": {"users": ["9847012345"], "batches": [duplicate]}}),
        "chillr.batches[0]",
        "duplicate",
    )
    .await;
}

#[tokio::test]
async fn reset_takes_away_created_batches_and_registered_users() {
    let app = spawn_app().await;
    let at_start = app.get_json("/__sandbox/state").await;
    freeze(&app).await;
    register(&app, &["9847012345"]).await;
    let batch_id = create(
        &app,
        json!([{"msisdn": USER, "amount": "200"}, {"msisdn": "9847012345", "amount": "1"}]),
    )
    .await;
    assert_eq!(act(&app, &batch_id, USER, "pay").await.0, StatusCode::OK);
    assert_eq!(batch_count(&app).await, 2);

    assert_eq!(post_empty(&app, "/__sandbox/reset").await, StatusCode::OK);
    assert_eq!(app.get_json("/__sandbox/state").await, at_start);
    assert_eq!(
        check_as(&app, API_KEY, API_SECRET, &batch_id).await,
        json!({"status": "failure", "status_code": 61, "message": "Batch not found error"})
    );
    let sample = status(&app, SAMPLE_BATCH).await;
    assert_eq!(sample["batch_status"], "expired");
    assert_eq!(customer(&sample, USER)["transaction_id"], "614410700416");
}

#[tokio::test]
async fn registering_users_normalises_their_numbers_and_refuses_a_bad_list_whole() {
    let app = spawn_app().await;
    let users = |state: &Value| -> Vec<String> {
        state["chillr"]["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_string())
            .collect()
    };

    let (code, answer) = status_and_json(
        app.post_json(
            "/__sandbox/chillr/users",
            &json!({"msisdns": ["+919847012345", "09847054321", "919123456789", "8123456789"]}),
        )
        .await,
    )
    .await;
    assert_eq!(code, StatusCode::CREATED, "{answer}");
    assert_eq!(
        answer["registered"],
        json!(["9847012345", "9847054321", "9123456789", "8123456789"])
    );
    let expected = [USER, "9847012345", "9847054321", "9123456789", "8123456789"];
    assert_eq!(users(&app.get_json("/__sandbox/state").await), expected);

    let (code, answer) = status_and_json(
        app.post_json(
            "/__sandbox/chillr/users",
            &json!({"msisdns": ["7012345678", "12345"]}),
        )
        .await,
    )
    .await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{answer}");
    let error = answer["error"].as_str().unwrap();
    assert!(
        error.contains("msisdns[1]") && error.contains("12345"),
        "{error}"
    );
    assert_eq!(
        users(&app.get_json("/__sandbox/state").await),
        expected,
        "nothing of a refused list is registered"
    );

    let (code, answer) = status_and_json(
        app.post_json("/__sandbox/chillr/users", &json!({"msisdns": []}))
            .await,
    )
    .await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{answer}");

    let (code, answer) = status_and_json(
        app.post_json(
            "/__sandbox/chillr/users",
            &json!({"msisdns": ["9847012345", "+91 9847012345"]}),
        )
        .await,
    )
    .await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{answer}");
    register(&app, &["9847012345", "09847012345"]).await;
    assert_eq!(
        users(&app.get_json("/__sandbox/state").await),
        expected,
        "registering twice adds no duplicate"
    );

    // A user registered with a prefix can be asked to pay.
    freeze(&app).await;
    let batch_id = create(&app, json!([{"msisdn": "9123456789", "amount": "9"}])).await;
    let view = status(&app, &batch_id).await;
    assert_eq!(customer(&view, "9123456789")["payment_status"], "pending");
}
