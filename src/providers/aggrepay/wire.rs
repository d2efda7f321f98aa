//! AggrePay's answers: `{"data","error","page","hash"}` in that order, written as PHP's
//! `json_encode` writes them; successes carry the response hash, errors `"hash": null`.

use crate::providers::aggrepay::hash::response_hash;
use crate::providers::aggrepay::php_json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// What AggrePay sends on success: `data` (and `page` for listings) signed with the
/// merchant's salt, or the document's "failed to update" answer.
#[derive(Debug)]
pub enum Answer {
    Signed {
        salt: String,
        data: Value,
        page: Value,
    },
    /// Everything null, no hash.
    NothingUpdated,
}

/// A success: `data` (and `page` for listings) with the response hash over the rest.
pub fn success(salt: &str, data: Value, page: Value) -> Answer {
    Answer::Signed {
        salt: salt.to_string(),
        data,
        page,
    }
}

/// The document's "failed to update" answer: everything null, no hash.
pub fn nothing_updated() -> Answer {
    Answer::NothingUpdated
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self {
            Answer::Signed { salt, data, page } => {
                let mut body = Map::new();
                body.insert("data".into(), data);
                body.insert("error".into(), Value::Null);
                body.insert("page".into(), page);
                let without_hash = Value::Object(body.clone());
                let hash = response_hash(&salt, &php_json::encode(&without_hash));
                body.insert("hash".into(), Value::String(hash));
                php_response(&Value::Object(body))
            }
            Answer::NothingUpdated => {
                php_response(&json!({"data": null, "error": null, "page": null, "hash": null}))
            }
        }
    }
}

pub fn php_response(body: &Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        php_json::encode(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::aggrepay::errors::AggrePayError;
    use sha2::{Digest, Sha512};

    async fn text(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    /// What the document's PHP `responseHashCheck` does with the text: drop the hash, hash
    /// salt + the rest.
    fn php_check(salt: &str, body: &str) -> bool {
        let Some((without, hash)) = body.rsplit_once(r#","hash":""#) else {
            return false;
        };
        let hash = hash.trim_end_matches("\"}");
        let digest = Sha512::digest(format!("{salt}{without}}}").as_bytes());
        let expected = hex::encode_upper(digest);
        hash == expected
    }

    #[tokio::test]
    async fn a_success_carries_the_hash_php_computes_over_its_own_encoding() {
        let data = json!({"description": "Rent/March – café", "balance": 40.0, "amount": "41.5"});
        let body = text(success("salt-1", data, Value::Null).into_response()).await;
        assert_eq!(
            body.split(r#","hash""#).next().unwrap(),
            r#"{"data":{"description":"Rent\/March \u2013 caf\u00e9","balance":40,"amount":"41.5"},"error":null,"page":null"#
        );
        assert!(php_check("salt-1", &body), "{body}");
        assert!(!php_check("other-salt", &body));
    }

    #[tokio::test]
    async fn errors_and_the_failed_update_answer_have_a_null_hash() {
        let body = text(AggrePayError::HashMismatch.into_response()).await;
        assert_eq!(
            body,
            r#"{"data":null,"error":{"code":"HASH-MISMATCH","message":"Hash Mismatch"},"page":null,"hash":null}"#
        );
        assert_eq!(
            text(nothing_updated().into_response()).await,
            r#"{"data":null,"error":null,"page":null,"hash":null}"#
        );
    }
}

/// The `page` block of a listing: `{"page_size","page_number","total_pages","total_elements"}`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Page {
    page_size: i64,
    page_number: i64,
    total_pages: i64,
    total_elements: i64,
}

impl Page {
    pub fn of(total_elements: i64, page_number: i64, page_size: i64) -> Page {
        Page {
            page_size,
            page_number,
            total_pages: (total_elements + page_size - 1) / page_size,
            total_elements,
        }
    }

    /// Whether the page asked for lies past the last one (or there is none).
    pub fn past_the_end(&self) -> bool {
        self.page_number >= self.total_pages
    }

    pub fn view(&self) -> Value {
        json!({
            "page_size": self.page_size,
            "page_number": self.page_number,
            "total_pages": self.total_pages,
            "total_elements": self.total_elements,
        })
    }
}
