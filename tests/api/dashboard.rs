//! The dashboard at `/__sandbox/ui` (issue 14, kernel pages): every page answers HTML showing
//! the state, every form changes it and answers 303, cross-site posts are refused, the admin
//! token is asked once, user data is escaped.

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::{Response, StatusCode};
use serde_json::Value;

pub const UI: &str = "/__sandbox/ui";

/// A browser without JavaScript: keeps the session cookie, follows no redirect.
pub struct Browser {
    pub app: TestApp,
    client: reqwest::Client,
    cookie: Option<String>,
}

impl Browser {
    pub fn new(app: TestApp) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser {
            app,
            client,
            cookie: None,
        }
    }

    fn keep_cookie(&mut self, response: &Response) {
        if let Some(set) = response.headers().get(SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            self.cookie = Some(pair.to_string());
        }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let mut request = self.client.get(self.app.url(path));
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        let response = request.send().await.unwrap();
        self.keep_cookie(&response);
        response
    }

    /// A page that must answer 200 HTML; its text.
    pub async fn page(&mut self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        let content_type = response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            content_type.starts_with("text/html"),
            "{path}: {content_type}"
        );
        response.text().await.unwrap()
    }

    /// The CSRF token of this session's forms.
    pub async fn csrf(&mut self) -> String {
        let html = self.page(UI).await;
        let start = html
            .find(r#"name="csrf" value=""#)
            .expect("a form with a csrf field")
            + 19;
        html[start..start + 64].to_string()
    }

    pub async fn post_raw(
        &mut self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
        origin: Option<&str>,
    ) -> Response {
        let mut request = self
            .client
            .post(self.app.url(path))
            .header(CONTENT_TYPE, content_type)
            .body(body);
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        if let Some(origin) = origin {
            request = request.header(ORIGIN, origin);
        }
        let response = request.send().await.unwrap();
        self.keep_cookie(&response);
        response
    }

    /// Posts a form with this session's CSRF token.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf().await;
        let origin = self.app.base.clone();
        self.post_form(path, &[fields, &[("csrf", &csrf)]].concat(), Some(&origin))
            .await
    }

    pub async fn post_form(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Response {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.post_raw(path, "application/x-www-form-urlencoded", body, origin)
            .await
    }

    pub async fn json(&self, path: &str) -> Value {
        self.app.get_json(path).await
    }
}

pub fn assert_redirect(response: &Response, to: &str) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], to);
}

async fn journaled(app: &TestApp, path: &str, body: &str) -> u64 {
    let response = app.post_text(path, body).await;
    response.headers()["x-sandbox-request-id"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_root_redirects_to_the_dashboard() {
    let mut browser = Browser::new(spawn_app().await);
    let response = browser.get("/").await;
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(response.headers()[LOCATION], UI);
}

#[tokio::test]
async fn the_overview_shows_the_clock_the_faults_the_last_requests_and_the_report_links() {
    let mut browser = Browser::new(spawn_app().await);
    let app = &browser.app;
    app.post_json(
        "/__sandbox/clock",
        &serde_json::json!({"set": "2031-05-06T07:08:09Z"}),
    )
    .await;
    app.post_json(
        "/__sandbox/faults",
        &serde_json::json!({"provider": "jaze", "kind": "error"}),
    )
    .await;
    let id = journaled(app, "/aggrepay/api/v1/nowhere", "").await;
    let html = browser.page(UI).await;
    assert!(html.contains("2031-05-06T07:08:09+00:00"), "{html}");
    assert!(html.contains("(frozen)"));
    assert!(
        html.contains("<td>jaze</td>") && html.contains("<td>error</td>"),
        "{html}"
    );
    assert!(html.contains(&format!(r#"href="{UI}/requests/{id}""#)));
    assert!(html.contains("/aggrepay/api/v1/nowhere"));
    for provider in ["chillr", "paypro", "aggrepay", "jaze"] {
        assert!(
            html.contains(&format!("{UI}/report?provider={provider}")),
            "{provider}"
        );
    }
}

#[tokio::test]
async fn an_entry_page_shows_the_request_the_answer_and_the_diagnosis_and_a_gone_one_is_404() {
    let mut browser = Browser::new(spawn_app().await);
    let id = journaled(&browser.app, "/aggrepay/api/v1/nowhere", "a body").await;
    let entry = browser.json(&format!("/__sandbox/requests/{id}")).await;
    let rule = entry["diagnosis"]["rule"]
        .as_str()
        .expect("a diagnosis")
        .to_string();
    let hint = entry["diagnosis"]["hint"].as_str().unwrap().to_string();
    let html = browser.page(&format!("{UI}/requests/{id}")).await;
    assert!(html.contains(r#"id="diagnosis""#), "{html}");
    assert!(html.contains(&rule), "{rule}");
    assert!(
        html.contains(&html_escape::encode_text(&hint).to_string()),
        "{hint}"
    );
    assert!(html.contains("a body"));
    assert!(html.contains(&format!("<strong>{}</strong>", entry["response"]["status"])));

    browser.app.delete("/__sandbox/requests").await;
    let gone = browser.get(&format!("{UI}/requests/{id}")).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert!(gone.text().await.unwrap().contains("no request"));
    assert_eq!(
        browser.get(&format!("{UI}/requests/x")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_journal_filters_by_provider_path_code_and_since_and_paginates() {
    let mut browser = Browser::new(spawn_app().await);
    for _ in 0..55 {
        journaled(&browser.app, "/chillr/api/v5/echo", "x").await;
    }
    let other = journaled(&browser.app, "/aggrepay/api/v1/nowhere", "").await;
    let all = browser.page(&format!("{UI}/requests")).await;
    assert!(all.contains("56 requests; page 1 of 2"), "{all}");
    assert!(all.contains("page=2"));
    let second = browser.page(&format!("{UI}/requests?page=2")).await;
    assert!(second.contains("page 2 of 2"));
    let only = browser
        .page(&format!("{UI}/requests?provider=aggrepay&path=nowhere"))
        .await;
    assert!(
        only.contains("1 requests") && only.contains(&format!("/requests/{other}\"")),
        "{only}"
    );
    let status = browser.json(&format!("/__sandbox/requests/{other}")).await["response"]["status"]
        .to_string();
    let by_code = browser
        .page(&format!("{UI}/requests?code={status}&provider=aggrepay"))
        .await;
    assert!(by_code.contains("1 requests"), "{by_code}");
    let none = browser
        .page(&format!("{UI}/requests?since=2999-01-01T00:00:00Z"))
        .await;
    assert!(none.contains("0 requests"));
    let bad = browser.get(&format!("{UI}/requests?since=yesterday")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("RFC 3339"));
}

#[tokio::test]
async fn the_report_page_shows_outcomes_with_their_first_request_and_filters_by_provider() {
    let mut browser = Browser::new(spawn_app().await);
    let id = journaled(&browser.app, "/aggrepay/api/v1/fetchbalance", "x").await;
    let html = browser
        .page(&format!("{UI}/report?provider=aggrepay"))
        .await;
    assert!(html.contains(r#"id="provider-aggrepay""#), "{html}");
    assert!(!html.contains(r#"id="provider-chillr""#));
    assert!(html.contains("not exercised"));
    assert!(
        html.contains(&format!(r#"href="{UI}/requests/{id}""#)),
        "{html}"
    );
    assert!(
        browser
            .page(&format!("{UI}/report"))
            .await
            .contains(r#"id="provider-chillr""#)
    );
    let bad = browser.get(&format!("{UI}/report?provider=stripe")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_clock_forms_set_advance_and_release_it_and_a_bad_value_is_shown_on_the_page() {
    let mut browser = Browser::new(spawn_app().await);
    let set = browser
        .submit(
            &format!("{UI}/clock"),
            &[("do", "set"), ("set", "2030-01-01T00:00:00Z")],
        )
        .await;
    assert_redirect(&set, UI);
    assert_eq!(
        browser.json("/__sandbox/clock").await["now"],
        "2030-01-01T00:00:00+00:00"
    );
    let advance = browser
        .submit(
            &format!("{UI}/clock"),
            &[("do", "advance"), ("advance", "P1D")],
        )
        .await;
    assert_redirect(&advance, UI);
    assert_eq!(
        browser.json("/__sandbox/clock").await["now"],
        "2030-01-02T00:00:00+00:00"
    );
    let bad = browser
        .submit(
            &format!("{UI}/clock"),
            &[("do", "set"), ("set", "tomorrow")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let html = bad.text().await.unwrap();
    assert!(
        html.contains("class=\"error\"") && html.contains("RFC 3339"),
        "{html}"
    );
    assert_eq!(
        browser.json("/__sandbox/clock").await["now"],
        "2030-01-02T00:00:00+00:00"
    );
    assert_redirect(
        &browser
            .submit(&format!("{UI}/clock"), &[("do", "real")])
            .await,
        UI,
    );
    assert_eq!(browser.json("/__sandbox/clock").await["frozen"], false);
}

#[tokio::test]
async fn the_fault_forms_add_remove_and_clear_rules() {
    let mut browser = Browser::new(spawn_app().await);
    let fields = [
        ("provider", "paypro"),
        ("endpoint", ""),
        ("kind", "error"),
        ("fields", r#"{"status": 503}"#),
    ];
    assert_redirect(&browser.submit(&format!("{UI}/faults"), &fields).await, UI);
    assert_redirect(
        &browser
            .submit(
                &format!("{UI}/faults"),
                &[
                    ("provider", "jaze"),
                    ("kind", "latency"),
                    ("fields", r#"{"latency_ms": 5}"#),
                ],
            )
            .await,
        UI,
    );
    let rules = browser.json("/__sandbox/faults").await;
    assert_eq!(rules.as_array().unwrap().len(), 2, "{rules}");
    assert_eq!(rules[0]["status"], 503);
    let bad = browser
        .submit(
            &format!("{UI}/faults"),
            &[
                ("provider", "paypro"),
                ("endpoint", "nosuch"),
                ("kind", "error"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("nosuch"));
    let first = rules[0]["id"].to_string();
    assert_redirect(
        &browser
            .submit(&format!("{UI}/faults/{first}/remove"), &[])
            .await,
        UI,
    );
    assert_eq!(
        browser
            .json("/__sandbox/faults")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_redirect(
        &browser.submit(&format!("{UI}/faults/clear"), &[]).await,
        UI,
    );
    assert_eq!(
        browser.json("/__sandbox/faults").await,
        serde_json::json!([])
    );
}

const UPLOAD_BOUNDARY: &str = "sandboxboundary";

fn multipart(csrf: &str, file_name: &str, content: &str) -> String {
    format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n{content}\r\n--{b}--\r\n",
        b = UPLOAD_BOUNDARY
    )
}

#[tokio::test]
async fn fixtures_upload_as_a_file_reset_returns_to_the_start_and_the_state_downloads() {
    let mut browser = Browser::new(spawn_app().await);
    let csrf = browser.csrf().await;
    let content_type = format!("multipart/form-data; boundary={UPLOAD_BOUNDARY}");
    let yaml = "chillr:\n  merchants:\n    - api_key: ui-key\n      api_secret_key: ui-secret\n";
    let origin = browser.app.base.clone();
    let uploaded = browser
        .post_raw(
            &format!("{UI}/fixtures"),
            &content_type,
            multipart(&csrf, "scene.yaml", yaml),
            Some(&origin),
        )
        .await;
    assert_redirect(&uploaded, UI);
    let state = browser.json("/__sandbox/state").await;
    assert!(state.to_string().contains("ui-key"), "{state}");

    let refused = browser
        .post_raw(
            &format!("{UI}/fixtures"),
            &content_type,
            multipart(&csrf, "bad.json", r#"{"stripe": {}}"#),
            None,
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("stripe"));

    let download = browser.get(&format!("{UI}/state")).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    assert_eq!(download.json::<Value>().await.unwrap(), state);

    browser
        .app
        .post_json(
            "/__sandbox/faults",
            &serde_json::json!({"provider": "jaze", "kind": "error"}),
        )
        .await;
    assert_redirect(&browser.submit(&format!("{UI}/reset"), &[]).await, UI);
    assert!(
        !browser
            .json("/__sandbox/state")
            .await
            .to_string()
            .contains("ui-key")
    );
    assert_eq!(
        browser.json("/__sandbox/faults").await,
        serde_json::json!([])
    );
}

#[tokio::test]
async fn a_post_without_the_right_csrf_token_or_from_another_origin_is_refused_and_changes_nothing()
{
    let mut browser = Browser::new(spawn_app().await);
    let csrf = browser.csrf().await;
    let before = browser.json("/__sandbox/clock").await["frozen"].clone();
    let set = [("do", "set"), ("set", "2030-01-01T00:00:00Z")];
    let missing = browser.post_form(&format!("{UI}/clock"), &set, None).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let wrong = browser
        .post_form(
            &format!("{UI}/clock"),
            &[&set[..], &[("csrf", "0000")]].concat(),
            None,
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let foreign = browser
        .post_form(
            &format!("{UI}/clock"),
            &[&set[..], &[("csrf", &csrf)]].concat(),
            Some("http://evil.example"),
        )
        .await;
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    // No session cookie at all: a cross-site form cannot read one.
    browser.cookie = None;
    let cookieless = browser
        .post_form(
            &format!("{UI}/clock"),
            &[&set[..], &[("csrf", &csrf)]].concat(),
            None,
        )
        .await;
    assert_eq!(cookieless.status(), StatusCode::FORBIDDEN);
    let content_type = format!("multipart/form-data; boundary={UPLOAD_BOUNDARY}");
    let upload = browser
        .post_raw(
            &format!("{UI}/fixtures"),
            &content_type,
            multipart("nope", "a.json", "{}"),
            None,
        )
        .await;
    assert_eq!(upload.status(), StatusCode::FORBIDDEN);
    assert_eq!(browser.json("/__sandbox/clock").await["frozen"], before);
}

#[tokio::test]
async fn with_an_admin_token_the_dashboard_asks_for_it_once_and_keeps_it_in_a_strict_cookie() {
    let mut browser = Browser::new(spawn_app_with(|c| c.admin_token = Some("s3cret".into())).await);
    for path in [
        UI.to_string(),
        format!("{UI}/requests"),
        format!("{UI}/report"),
    ] {
        assert_redirect(&browser.get(&path).await, &format!("{UI}/login"));
    }
    let login = browser.page(&format!("{UI}/login")).await;
    let start = login.find(r#"name="csrf" value=""#).unwrap() + 19;
    let csrf = login[start..start + 64].to_string();
    let wrong = browser
        .post_form(
            &format!("{UI}/login"),
            &[("token", "guess"), ("csrf", &csrf)],
            None,
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    assert_redirect(&browser.get(UI).await, &format!("{UI}/login"));
    // An action without the login cookie goes to the login form and changes nothing.
    let action = [
        ("do", "set"),
        ("set", "2030-01-01T00:00:00Z"),
        ("csrf", csrf.as_str()),
    ];
    assert_redirect(
        &browser
            .post_form(&format!("{UI}/clock"), &action, None)
            .await,
        &format!("{UI}/login"),
    );
    let clock = browser
        .client
        .get(browser.app.url("/__sandbox/clock"))
        .bearer_auth("s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(clock.json::<Value>().await.unwrap()["frozen"], false);
    let right = browser
        .post_form(
            &format!("{UI}/login"),
            &[("token", "s3cret"), ("csrf", &csrf)],
            None,
        )
        .await;
    assert_redirect(&right, UI);
    let cookie = right.headers()[SET_COOKIE].to_str().unwrap().to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/__sandbox"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("s3cret"), "{cookie}");
    browser.page(UI).await;
    browser.page(&format!("{UI}/requests")).await;
    assert_redirect(
        &browser
            .submit(
                &format!("{UI}/clock"),
                &[("do", "set"), ("set", "2030-01-01T00:00:00Z")],
            )
            .await,
        UI,
    );
    // The Bearer header works as the control plane's does.
    let bearer = browser
        .client
        .get(browser.app.url(UI))
        .bearer_auth("s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), StatusCode::OK);
}

#[tokio::test]
async fn user_data_in_a_journaled_body_is_shown_escaped() {
    let mut browser = Browser::new(spawn_app().await);
    let id = journaled(
        &browser.app,
        "/chillr/api/v5/echo",
        "<script>alert(1)</script>",
    )
    .await;
    let html = browser.page(&format!("{UI}/requests/{id}")).await;
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "{html}");
}

/// The front percent-encodes `<` and `>` in a path, so a header is where markup reaches the
/// journal as it was sent.
#[tokio::test]
async fn user_data_in_a_journaled_header_is_shown_escaped() {
    let mut browser = Browser::new(spawn_app().await);
    let response = browser
        .app
        .client
        .post(browser.app.url("/chillr/api/v5/echo"))
        .header("x-note", "<script>x</script>")
        .body("{}")
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-sandbox-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let html = browser.page(&format!("{UI}/requests/{id}")).await;
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
}

#[tokio::test]
async fn the_report_page_links_a_lint_finding_to_its_requests() {
    let mut browser = Browser::new(spawn_app().await);
    let clock = browser
        .app
        .post_json(
            "/__sandbox/clock",
            &serde_json::json!({"set": "2016-05-24T12:00:00+05:30"}),
        )
        .await;
    assert!(clock.status().is_success());
    // chillr-mass-collect.txt, Create batch: the sample request; never checked afterwards.
    let created = browser
        .app
        .post_json(
            "/chillr/api/v5/collect",
            &serde_json::json!({
                "api_key": "5695d71a6368690df2030000",
                "api_secret_key": "f333884a36ccfc54787e6d96eac5e3d3",
                "name": "Electricity bill",
                "expiry_date": "27-05-2016",
                "customers": [{"msisdn": "9447741462", "amount": "200"}]
            }),
        )
        .await;
    let id: u64 = created.headers()["x-sandbox-request-id"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let html = browser.page(&format!("{UI}/report?provider=chillr")).await;
    assert!(html.contains("chillr.lint.batch_never_checked"), "{html}");
    assert!(
        html.contains(&format!(r#"href="{UI}/requests/{id}""#)),
        "{html}"
    );
}
