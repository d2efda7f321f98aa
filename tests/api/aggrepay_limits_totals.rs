//! AggrePay wallet limits kept as running totals: over HTTP, the daily count, the daily
//! amount, the monthly debits and the monthly credits bite at exactly the limit, counting
//! a back-dated ledger loaded from fixtures in the periods of its own dates (India time),
//! freeing room when a debit is reversed (in the debit's period, not the reversal's), and
//! the same after the state is exported, wiped and loaded again (the totals are not part of
//! the export: loading rebuilds them).

use crate::helpers::{TestApp, spawn_app, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha512};

const KEY: &str = "aggrepay-sandbox-api-key";
const SALT: &str = "aggrepay-sandbox-salt";

const DAILY: &str = "TRANSACTION-LIMIT";
const MONTHLY: &str = "MONTHLY-TRANSACTION-LIMIT-EXCEEDED";

/// Daily count 3; today (10 March IST) it holds one fixture debit, at 00:00:00.000 IST.
const COUNT: &str = "700000101";
/// Daily amount 100.00.
const AMOUNT: &str = "700000102";
/// Monthly debits 250.00; 200.00 of fixture debits earlier in March.
const MONTH_DEBIT: &str = "700000103";
/// Monthly credits 200.00; 80.00 of fixture credits earlier in March.
const MONTH_CREDIT: &str = "700000104";
/// No limit of its own in the way: pays the others.
const PAYER: &str = "700000105";

/// A signed client of the default merchant (Appendix 17.1: ksort, trimmed non-empty values,
/// salt first, SHA-512, upper case).
struct Wallet {
    http: reqwest::Client,
    base: String,
}

fn request_hash(fields: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = fields
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut data = SALT.to_string();
    for (_, value) in sorted {
        data.push('|');
        data.push_str(value.trim());
    }
    Sha512::digest(data.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

impl Wallet {
    fn new(app: &TestApp) -> Wallet {
        Wallet {
            http: app.client.clone(),
            base: app.base.clone(),
        }
    }

    async fn call(&self, endpoint: &str, fields: &[(&str, &str)]) -> Value {
        let mut all: Vec<(&str, &str)> = vec![("api_key", KEY)];
        all.extend_from_slice(fields);
        let hash = request_hash(&all);
        all.push(("hash", &hash));
        let response = self
            .http
            .post(format!("{}/aggrepay/api/v1/{endpoint}", self.base))
            .form(&all)
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("JSON")
    }

    async fn credit(&self, to: &str, amount: &str, mtid: &str) -> Value {
        let pg = format!("PGTEST-{mtid}");
        self.call(
            "creditwallet",
            &[
                ("to_customer_id", to),
                ("amount", amount),
                ("merchant_transaction_id", mtid),
                ("pg_transaction_id", &pg),
            ],
        )
        .await
    }

    async fn debit(&self, from: &str, amount: &str, mtid: &str) -> Value {
        self.call(
            "debitwallet",
            &[
                ("from_customer_id", from),
                ("mpin", "1234"),
                ("amount", amount),
                ("merchant_transaction_id", mtid),
            ],
        )
        .await
    }

    async fn transfer(&self, from: &str, to: &str, amount: &str, mtid: &str) -> Value {
        self.call(
            "wallettowallet",
            &[
                ("from_customer_id", from),
                ("to_customer_id", to),
                ("mpin", "1234"),
                ("merchant_transaction_id", mtid),
                ("amount", amount),
            ],
        )
        .await
    }

    async fn reverse(&self, mtid: &str) -> Value {
        self.call("debitreversal", &[("merchant_transaction_id", mtid)])
            .await
    }

    async fn may_debit(&self, customer: &str, amount: &str) -> Value {
        self.call(
            "checkcustomerdebitlimit",
            &[("customer_id", customer), ("amount", amount)],
        )
        .await
    }

    async fn may_credit(&self, customer: &str, amount: &str) -> Value {
        self.call(
            "checkcustomercreditlimit",
            &[("customer_id", customer), ("amount", amount)],
        )
        .await
    }

    async fn balance(&self, customer: &str) -> String {
        let answer = self
            .call("fetchbalance", &[("customer_id", customer)])
            .await;
        ok(&answer);
        answer["data"]["balance"].as_str().unwrap().to_string()
    }
}

/// A success.
#[track_caller]
fn ok(answer: &Value) {
    assert!(
        answer["error"].is_null() && answer["hash"].is_string(),
        "expected a success: {answer}"
    );
}

/// An error with this code.
#[track_caller]
fn refused(answer: &Value, code: &str) {
    assert_eq!(answer["error"]["code"], code, "{answer}");
}

async fn clock(app: &TestApp, at: &str) {
    let (status, answer) =
        status_and_json(app.post_json("/__sandbox/clock", &json!({"set": at})).await).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

async fn load(app: &TestApp, document: &Value) {
    let (status, answer) =
        status_and_json(app.post_json("/__sandbox/fixtures", document).await).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

fn customer(id: &str, balance: &str, limits: Value) -> Value {
    json!({
        "api_key": KEY,
        "customer_id": id,
        "mobile_number": format!("9{}", &id[..9]),
        "mpin": "1234",
        "balance": balance,
        "limits": limits,
    })
}

fn transaction(id: i64, kind: &str, amount: &str, created_at: &str, more: Value) -> Value {
    let mut record = json!({
        "api_key": KEY,
        "transaction_id": id,
        "type": kind,
        "amount": amount,
        "created_at": created_at,
    });
    record
        .as_object_mut()
        .unwrap()
        .extend(more.as_object().unwrap().clone());
    record
}

const NOW: &str = "2026-03-10T10:00:00+05:30";

/// The wallets at 10:00 IST on 10 March 2026, with a ledger back-dated around the day and
/// month boundaries (India time).
async fn setup(app: &TestApp) {
    clock(app, NOW).await;
    let document = json!({"aggrepay": {
        "customers": [
            customer(COUNT, "100.00", json!({"daily_debit_count": 3})),
            customer(AMOUNT, "1000.00", json!({"daily_debit_amount": "100.00"})),
            customer(MONTH_DEBIT, "1000.00", json!({"monthly_debit": "250.00"})),
            customer(MONTH_CREDIT, "500.00", json!({"monthly_credit": "200.00"})),
            customer(PAYER, "1000.00", json!({})),
        ],
        "transactions": [
            // The last millisecond of yesterday and the first of today (IST).
            transaction(720_000_001, "C2M", "1", "2026-03-09T23:59:59.999+05:30",
                json!({"from_customer_id": COUNT, "merchant_transaction_id": "CNT-Y"})),
            transaction(720_000_002, "C2M", "1", "2026-03-10T00:00:00+05:30",
                json!({"from_customer_id": COUNT, "merchant_transaction_id": "CNT-0"})),
            // February, then 200.00 of March (a debit reversed by the fixtures does not count).
            transaction(720_000_003, "C2M", "200", "2026-02-28T23:00:00+05:30",
                json!({"from_customer_id": MONTH_DEBIT, "merchant_transaction_id": "FEB-1"})),
            transaction(720_000_004, "C2M", "100", "2026-03-02T09:00:00+05:30",
                json!({"from_customer_id": MONTH_DEBIT, "merchant_transaction_id": "MAR-1"})),
            transaction(720_000_005, "C2M", "100", "2026-03-05T09:00:00+05:30",
                json!({"from_customer_id": MONTH_DEBIT, "merchant_transaction_id": "MAR-2"})),
            transaction(720_000_006, "C2M", "80", "2026-03-06T09:00:00+05:30",
                json!({"from_customer_id": MONTH_DEBIT, "merchant_transaction_id": "MAR-3"})),
            transaction(720_000_007, "REVERSAL", "80", "2026-03-07T09:00:00+05:30",
                json!({"to_customer_id": MONTH_DEBIT, "reverses": 720_000_006,
                       "merchant_transaction_id": "MAR-3_REVERSAL"})),
            // Credits of March: 50.00 from the gateway and 30.00 from a transfer at the first
            // instant of March; not the opening-balance-like M2C without ids, not February.
            transaction(720_000_008, "M2C", "50", "2026-03-03T09:00:00+05:30",
                json!({"to_customer_id": MONTH_CREDIT, "pg_transaction_id": "PG-MC-1"})),
            transaction(720_000_009, "M2C", "70", "2026-03-04T09:00:00+05:30",
                json!({"to_customer_id": MONTH_CREDIT})),
            transaction(720_000_010, "M2C", "100", "2026-02-27T09:00:00+05:30",
                json!({"to_customer_id": MONTH_CREDIT, "merchant_transaction_id": "FEB-C"})),
            transaction(720_000_011, "C2C", "30", "2026-03-01T00:00:00+05:30",
                json!({"from_customer_id": PAYER, "to_customer_id": MONTH_CREDIT,
                       "merchant_transaction_id": "C2C-MAR"})),
            transaction(720_000_012, "C2C", "40", "2026-02-28T23:59:59.999+05:30",
                json!({"from_customer_id": PAYER, "to_customer_id": MONTH_CREDIT,
                       "merchant_transaction_id": "C2C-FEB"})),
        ],
    }});
    load(app, &document).await;
}

/// The room the fixtures leave: each limit passes at exactly its room, not a paisa more.
async fn rooms_after_setup(w: &Wallet) {
    // Two more debits today: the fixture debit at 00:00 IST counts, the one before not.
    ok(&w.may_debit(COUNT, "1").await);
    ok(&w.may_debit(AMOUNT, "100").await);
    refused(&w.may_debit(AMOUNT, "100.01").await, DAILY);
    ok(&w.may_debit(MONTH_DEBIT, "50").await);
    refused(&w.may_debit(MONTH_DEBIT, "50.01").await, MONTHLY);
    ok(&w.may_credit(MONTH_CREDIT, "120").await);
    refused(&w.may_credit(MONTH_CREDIT, "120.01").await, MONTHLY);
}

/// Credits, debits, transfers and reversals up to every limit.
async fn use_every_limit(w: &Wallet) {
    // The daily count: one fixture debit, a debit, an outgoing transfer.
    ok(&w.debit(COUNT, "1", "CNT-1").await);
    ok(&w.transfer(COUNT, PAYER, "1", "CNT-2").await);
    refused(&w.debit(COUNT, "0.01", "CNT-3").await, DAILY);
    refused(&w.may_debit(COUNT, "0.01").await, DAILY);
    refused(&w.transfer(COUNT, PAYER, "0.01", "CNT-3").await, DAILY);
    // Reversing yesterday's debit frees nothing today; reversing today's frees one.
    ok(&w.reverse("CNT-Y").await);
    refused(&w.may_debit(COUNT, "0.01").await, DAILY);
    ok(&w.reverse("CNT-0").await);
    ok(&w.debit(COUNT, "0.01", "CNT-3").await);
    refused(&w.debit(COUNT, "0.01", "CNT-4").await, DAILY);

    // The daily amount: a debit and an outgoing transfer make exactly 100.00.
    ok(&w.debit(AMOUNT, "40", "AMT-1").await);
    refused(&w.transfer(AMOUNT, PAYER, "60.01", "AMT-2").await, DAILY);
    ok(&w.transfer(AMOUNT, PAYER, "60", "AMT-2").await);
    refused(&w.debit(AMOUNT, "0.01", "AMT-3").await, DAILY);
    ok(&w.reverse("AMT-1").await);
    refused(&w.may_debit(AMOUNT, "40.01").await, DAILY);
    ok(&w.debit(AMOUNT, "40", "AMT-3").await);
    refused(&w.debit(AMOUNT, "0.01", "AMT-4").await, DAILY);

    // Monthly debits: 200.00 of March; February's reversal frees nothing in March, a
    // reversal today of a debit of 2 March frees its 100.00.
    refused(&w.debit(MONTH_DEBIT, "50.01", "MON-1").await, MONTHLY);
    ok(&w.reverse("FEB-1").await);
    refused(&w.may_debit(MONTH_DEBIT, "50.01").await, MONTHLY);
    ok(&w.reverse("MAR-1").await);
    refused(&w.debit(MONTH_DEBIT, "150.01", "MON-1").await, MONTHLY);
    ok(&w.debit(MONTH_DEBIT, "150", "MON-1").await);
    refused(&w.debit(MONTH_DEBIT, "0.01", "MON-2").await, MONTHLY);

    // Monthly credits: 80.00 of March; a credit and an incoming transfer make 200.00.
    ok(&w.credit(MONTH_CREDIT, "100", "MC-1").await);
    refused(&w.credit(MONTH_CREDIT, "20.01", "MC-2").await, MONTHLY);
    refused(
        &w.transfer(PAYER, MONTH_CREDIT, "20.01", "MC-2").await,
        MONTHLY,
    );
    ok(&w.transfer(PAYER, MONTH_CREDIT, "20", "MC-2").await);
    refused(&w.credit(MONTH_CREDIT, "0.01", "MC-3").await, MONTHLY);
    // A reversal is no credit: it passes a full month, and frees nothing either.
    ok(&w.debit(MONTH_CREDIT, "10", "MC-4").await);
    ok(&w.reverse("MC-4").await);
    refused(&w.may_credit(MONTH_CREDIT, "0.01").await, MONTHLY);
}

/// Every limit is used up today.
async fn nothing_left(w: &Wallet) {
    refused(&w.may_debit(COUNT, "0.01").await, DAILY);
    refused(&w.may_debit(AMOUNT, "0.01").await, DAILY);
    refused(&w.may_debit(MONTH_DEBIT, "0.01").await, MONTHLY);
    refused(&w.may_credit(MONTH_CREDIT, "0.01").await, MONTHLY);
}

#[tokio::test]
async fn running_totals_bite_at_exactly_each_limit_with_a_back_dated_ledger_and_reversals() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    setup(&app).await;
    rooms_after_setup(&w).await;
    use_every_limit(&w).await;
    nothing_left(&w).await;
    // 1000 - 200 - 100 - 100 (- 80 + 80) + 200 + 100 - 150.
    assert_eq!(w.balance(MONTH_DEBIT).await, "750.0");
    // 500 + 50 + 70 + 100 + 30 + 40 + 100 + 20 (- 10 + 10).
    assert_eq!(w.balance(MONTH_CREDIT).await, "910.0");

    // The last second of March is still March; the first instant of April is a new month
    // and a new day.
    clock(&app, "2026-03-31T23:59:59+05:30").await;
    refused(&w.may_debit(MONTH_DEBIT, "0.01").await, MONTHLY);
    refused(&w.may_credit(MONTH_CREDIT, "0.01").await, MONTHLY);
    clock(&app, "2026-04-01T00:00:00+05:30").await;
    refused(&w.may_debit(MONTH_DEBIT, "250.01").await, MONTHLY);
    ok(&w.debit(MONTH_DEBIT, "250", "APR-1").await);
    refused(&w.debit(MONTH_DEBIT, "0.01", "APR-2").await, MONTHLY);
    refused(&w.may_credit(MONTH_CREDIT, "200.01").await, MONTHLY);
    ok(&w.credit(MONTH_CREDIT, "200", "APR-3").await);
    refused(&w.credit(MONTH_CREDIT, "0.01", "APR-4").await, MONTHLY);
    for i in 0..3 {
        ok(&w.debit(COUNT, "1", &format!("APR-C{i}")).await);
    }
    refused(&w.debit(COUNT, "1", "APR-C3").await, DAILY);
    // A reversal of a March debit, made in April, frees March, not April.
    ok(&w.reverse("MON-1").await);
    refused(&w.may_debit(MONTH_DEBIT, "0.01").await, MONTHLY);
    clock(&app, "2026-03-31T23:59:59+05:30").await;
    ok(&w.may_debit(MONTH_DEBIT, "150").await);
    refused(&w.may_debit(MONTH_DEBIT, "150.01").await, MONTHLY);
}

#[tokio::test]
async fn an_exported_state_loaded_again_rebuilds_the_totals_it_does_not_list() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    setup(&app).await;
    use_every_limit(&w).await;
    let exported = app.get_json("/__sandbox/state").await;
    let section = exported["aggrepay"]
        .as_object()
        .expect("an aggrepay section");
    assert!(
        section.keys().all(|k| !k.contains("usage")),
        "{:?}",
        section.keys().collect::<Vec<_>>()
    );
    let (status, answer) = status_and_json(
        app.post_json("/__sandbox/reset?empty=true", &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    clock(&app, NOW).await;
    load(&app, &exported).await;
    assert_eq!(app.get_json("/__sandbox/state").await, exported);
    nothing_left(&w).await;
    // Reversals after the reload still free exactly their debit's room.
    ok(&w.reverse("MON-1").await);
    ok(&w.may_debit(MONTH_DEBIT, "150").await);
    refused(&w.may_debit(MONTH_DEBIT, "150.01").await, MONTHLY);
    ok(&w.reverse("AMT-3").await);
    ok(&w.may_debit(AMOUNT, "40").await);
    refused(&w.may_debit(AMOUNT, "40.01").await, DAILY);
    ok(&w.reverse("CNT-1").await);
    ok(&w.debit(COUNT, "1", "CNT-5").await);
    refused(&w.debit(COUNT, "1", "CNT-6").await, DAILY);
}
