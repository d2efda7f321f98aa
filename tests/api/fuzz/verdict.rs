//! Judges one answer: never a 5xx, always JSON in the provider's own envelope, never the
//! provider's internal error (a caught panic or a database error answers that) unless the
//! request holds the documented magic value for it; and says whether the request was refused.

use serde_json::Value;

pub enum Verdict {
    /// The provider refused the request: the state must be as it was.
    Refused,
    /// The provider did what was asked (the state may have changed).
    Accepted,
}

pub fn judge(
    provider: &str,
    method: &str,
    status: u16,
    body: &[u8],
    request: &[u8],
) -> Result<Verdict, String> {
    if status >= 500 {
        return Err(format!("answered HTTP {status}"));
    }
    if method == "HEAD" {
        return Ok(if status < 300 {
            Verdict::Accepted
        } else {
            Verdict::Refused
        });
    }
    let json: Value =
        serde_json::from_slice(body).map_err(|e| format!("answer is not JSON ({e})"))?;
    let http_refused = status != 200;
    // A path that left the provider's routes gets the kernel's 404 ({"error": ...}).
    if status == 404 && json.get("error").is_some_and(Value::is_string) {
        return Ok(Verdict::Refused);
    }
    let magic = |value: &str| {
        String::from_utf8_lossy(request)
            .to_ascii_lowercase()
            .contains(&value.to_ascii_lowercase())
    };
    let refused = match provider {
        "chillr" => {
            let outcome = json["status"].as_str();
            let code = json["status_code"].as_u64();
            if !matches!(outcome, Some("success" | "failure")) || code.is_none() {
                return Err("not Chillr's envelope (status, status_code)".into());
            }
            if code == Some(59) && !magic("9000000059") {
                return Err("Chillr's internal error (59)".into());
            }
            outcome == Some("failure")
        }
        "paypro" => {
            let Some(code) = json[0]["Status"].as_str() else {
                return Err("not PayPro's envelope ([{\"Status\"}, ...])".into());
            };
            if code == "02" && json[1]["Description"] == "Service Fail" && !magic("MAGIC-02") {
                return Err("PayPro's internal error (02 Service Fail)".into());
            }
            code != "00"
        }
        "aggrepay" => {
            let keys: Vec<&str> = json
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            if keys != ["data", "error", "page", "hash"] {
                return Err("not AggrePay's envelope (data, error, page, hash)".into());
            }
            if json["error"]["code"] == "INTERNAL-ERROR" && !magic("999.99") {
                return Err("AggrePay's INTERNAL-ERROR".into());
            }
            json["data"].is_null()
        }
        // Successes are arrays or objects of ids; failures carry status and errorCode.
        "jaze" => {
            if json["status"] == "failure" {
                if !json["errorCode"].is_u64() {
                    return Err("not Jaze's envelope (status, errorCode)".into());
                }
                if json["errorCode"] == 500 && !magic("/500") {
                    return Err("Jaze's internal error (errorCode 500)".into());
                }
                true
            } else {
                false
            }
        }
        other => panic!("no verdict for {other}"),
    };
    Ok(if refused || http_refused {
        Verdict::Refused
    } else {
        Verdict::Accepted
    })
}
