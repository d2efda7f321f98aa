//! No secret in any diagnosis, report or log line: refused requests of every provider that
//! carry secrets (wrong ones and the right ones in the wrong place), then a search of every
//! journal entry's diagnosis, the report in its three formats, and the request log lines for
//! each secret value, stored or sent.

use serde_json::{Value, json};
use sha2::{Digest, Sha512};

/// The default fixtures' secrets, and the wrong ones the requests below send.
const SECRETS: &[&str] = &[
    "f333884a36ccfc54787e6d96eac5e3d3",
    "PayProi517",
    "p@ssw0rd",
    "aggrepay-sandbox-salt",
    "jaze-sandbox-key",
    "Wr0ng-Pass-4471",
    "wrong-chillr-secret-9931",
    "wrong-jaze-key-5521",
    "other-salt-7714",
];

fn aggrepay_hash(salt: &str, fields: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = fields.iter().filter(|(_, v)| !v.is_empty()).collect();
    sorted.sort_by_key(|(name, _)| *name);
    let mut data = salt.to_string();
    for (_, value) in sorted {
        data.push('|');
        data.push_str(value);
    }
    Sha512::digest(data.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

fn form(fields: &[(&str, &str)], hash: &str) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        out.append_pair(name, value);
    }
    out.append_pair("hash", hash);
    out.finish()
}

async fn send_refused_requests(client: &reqwest::Client, base: &str) {
    let get = |path: &str| client.get(format!("{base}{path}")).send();
    // PayPro: a known user with a wrong password; an unknown user with a real password.
    get("/paypro/cpay/gos?userName=PayPro&password=Wr0ng-Pass-4471&cpayId=1")
        .await
        .unwrap();
    get("/paypro/cpay/gos?userName=Nobody&password=PayProi517&cpayId=1")
        .await
        .unwrap();
    get("/paypro/cpay/gos?userName=ConnectPay&password=p@ssw0rd&cpayId=not-a-number")
        .await
        .unwrap();
    // Chillr: a wrong secret key; the right one with a bad customer.
    for secret in [
        "wrong-chillr-secret-9931",
        "f333884a36ccfc54787e6d96eac5e3d3",
    ] {
        client
            .post(format!("{base}/chillr/api/v5/collect"))
            .json(&json!({"api_key": "5695d71a6368690df2030000", "api_secret_key": secret,
                "name": "x", "expiry_date": "01-01-2001", "customers": [{"msisdn": "1", "amount": "-5"}]}))
            .send()
            .await
            .unwrap();
    }
    // AggrePay: an MPIN under a hash made with another salt, one made with the right salt
    // but with the salt at the end, and a right hash with a wrong MPIN.
    let fields = [
        ("api_key", "aggrepay-sandbox-api-key"),
        ("mobile_number", "9845012345"),
        ("mpin", "4471"),
        ("amount", "10"),
        ("description", "x"),
    ];
    let salt_last = {
        let mut sorted: Vec<&str> =
            vec!["aggrepay-sandbox-api-key", "10", "x", "9845012345", "4471"];
        sorted.sort();
        let data = format!("{}|aggrepay-sandbox-salt", sorted.join("|"));
        Sha512::digest(data.as_bytes())
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>()
    };
    for hash in [
        aggrepay_hash("other-salt-7714", &fields),
        salt_last,
        aggrepay_hash("aggrepay-sandbox-salt", &fields),
    ] {
        client
            .post(format!("{base}/aggrepay/api/v1/debitwallet"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&fields, &hash))
            .send()
            .await
            .unwrap();
    }
    // Jaze: the right token with a wrong key, then a wrong token with the right key.
    for (user, key) in [
        ("jaze-sandbox-token", "wrong-jaze-key-5521"),
        ("nobody", "jaze-sandbox-key"),
    ] {
        client
            .get(format!("{base}/jaze/api/v1/get_all_payment_ids"))
            .basic_auth(user, Some(key))
            .send()
            .await
            .unwrap();
    }
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "{what} shows the secret {secret:?}: {text}"
        );
    }
}

#[test]
fn no_secret_appears_in_a_diagnosis_the_report_or_a_log_line() {
    let (mut child, mut lines, address) = crate::helpers::spawn_binary_with_json_logs();
    let base = format!("http://{address}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = reqwest::Client::new();
    let (entries, reports) = runtime.block_on(async {
        send_refused_requests(&client, &base).await;
        let entries: Value = client
            .get(format!("{base}/__sandbox/requests?limit=1000"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut reports = Vec::new();
        for format in ["json", "junit", "markdown"] {
            let report = client
                .get(format!("{base}/__sandbox/report?format={format}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            reports.push((format, report));
        }
        (entries, reports)
    });
    let entries = entries.as_array().unwrap();
    let diagnosed = entries
        .iter()
        .filter(|e| e["diagnosis"].is_object())
        .count();
    assert!(
        diagnosed >= 10,
        "{diagnosed} diagnosed entries of {}",
        entries.len()
    );
    for entry in entries {
        let diagnosis = &entry["diagnosis"];
        let rule = diagnosis["rule"].as_str().unwrap_or_default();
        for field in ["field", "expected", "hint", "got"] {
            // The client's hash is shown as sent; it is not a secret and is hex.
            if field == "got" && rule.contains(".hash.") {
                continue;
            }
            if let Some(text) = diagnosis[field].as_str() {
                assert_no_secret(&format!("request {} diagnosis.{field}", entry["id"]), text);
            }
        }
    }
    for (format, report) in &reports {
        assert_no_secret(&format!("the {format} report"), report);
    }
    // The request lines of the requests above (the control calls after them are lines too).
    let mut provider_lines = 0;
    while provider_lines < 10 {
        let line = lines.next().unwrap().unwrap();
        assert_no_secret("a log line", &line);
        let parsed: Value = serde_json::from_str(&line).unwrap();
        if parsed["provider"].is_string() {
            provider_lines += 1;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
