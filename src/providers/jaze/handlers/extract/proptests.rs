//! Properties of Jaze's query reading: any path and query are read without panic, and a value
//! comes back as sent: a path segment first, else the last of repeated query parameters.

use super::*;
use crate::providers::endpoint::Endpoint as _;
use proptest::prelude::*;

fn endpoint() -> impl Strategy<Value = Endpoint> {
    prop::sample::select(Endpoint::ALL.to_vec())
}

fn uri(text: &str) -> Uri {
    Uri::try_from(text).expect("a valid target")
}

/// Query pairs under the names Jaze reads, and one it does not.
fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop::sample::select(vec!["userId", "fromDate", "toDate", "x"]);
    prop::collection::vec((name.prop_map(str::to_string), ".{0,12}"), 0..8)
}

/// What `take` must find for `name`: the last value sent, when it is not empty.
fn last(pairs: &[(String, String)], name: &str) -> Option<String> {
    let value = pairs.iter().rev().find(|(n, _)| n == name)?;
    Some(value.1.clone()).filter(|v| !v.is_empty())
}

proptest! {
    #[test]
    fn any_target_is_read_without_panic(
        endpoint in endpoint(),
        segments in prop::collection::vec("[a-zA-Z0-9%._~-]{0,12}", 0..5),
        query in "[a-zA-Z0-9%&=+._~\\[\\]-]{0,80}",
    ) {
        let target = format!("/api/v1/{}/{}?{query}", endpoint.name(), segments.join("/"));
        let Ok(uri) = Uri::try_from(target) else {
            return Ok(());
        };
        let inputs = Inputs::read(endpoint, &uri);
        let _ = inputs.user_id();
        for dates in [Dates::Optional, Dates::Required] {
            let _ = inputs.range(dates, Utc::now());
        }
    }

    #[test]
    fn query_values_come_back_as_sent(endpoint in endpoint(), pairs in pairs()) {
        let query = serde_urlencoded::to_string(&pairs).unwrap();
        let inputs = Inputs::read(endpoint, &uri(&format!("/api/v1/{}?{query}", endpoint.name())));
        prop_assert_eq!(inputs.user_id, last(&pairs, "userId"));
        prop_assert_eq!(inputs.from, last(&pairs, "fromDate"));
        prop_assert_eq!(inputs.to, last(&pairs, "toDate"));
    }

    #[test]
    fn a_path_segment_wins_over_the_query(user in "[0-9a-z]{1,12}", pairs in pairs()) {
        let query = serde_urlencoded::to_string(&pairs).unwrap();
        let target = format!("/api/v1/get_payment_details/{user}?{query}");
        let inputs = Inputs::read(Endpoint::Details, &uri(&target));
        prop_assert_eq!(inputs.user_id, Some(user));
    }
}
