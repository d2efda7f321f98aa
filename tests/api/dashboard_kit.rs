//! The dashboard kit's building blocks as every provider's pages use them: one `?page=`
//! parser (one message for a bad page on every list) and one pager (the same links whether
//! the list counts its rows or only knows that another page follows).

use crate::dashboard::{Browser, UI};
use crate::helpers::spawn_app;
use reqwest::StatusCode;

/// Every paginated list of the four providers' pages.
const LISTS: [&str; 10] = [
    "/chillr",
    "/chillr/users",
    "/jaze",
    "/jaze/invoices",
    "/jaze/payments",
    "/paypro",
    "/paypro/consumers",
    "/aggrepay/customers",
    "/aggrepay/pg",
    "/aggrepay/otps",
];

#[tokio::test]
async fn every_list_refuses_a_bad_page_with_the_same_message() {
    let mut browser = Browser::new(spawn_app().await);
    for list in LISTS {
        for (page, message) in [
            ("0", "page: `0` is not a page number (1, 2, …)"),
            ("two", "page: `two` is not a page number (1, 2, …)"),
            (
                "10000001",
                "page: `10000001` is not a page number (1, 2, …)",
            ),
        ] {
            let response = browser.get(&format!("{UI}{list}?page={page}")).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{list} {page}");
            let body = response.text().await.unwrap();
            assert!(body.contains(message), "{list} {page}: {body}");
        }
    }
}

#[tokio::test]
async fn every_list_links_back_from_its_second_page_alike() {
    let mut browser = Browser::new(spawn_app().await);
    for list in LISTS {
        let second = browser.page(&format!("{UI}{list}?page=2")).await;
        let previous = format!(r#"<a rel="prev" href="{UI}{list}?page=1">← previous</a>"#);
        assert!(second.contains(&previous), "{list}: {second}");
        assert!(!second.contains(r#"rel="next""#), "{list}: {second}");
    }
}
