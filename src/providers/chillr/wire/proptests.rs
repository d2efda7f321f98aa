//! Properties of Chillr's body reading: garbage never panics, JSON is read to exactly
//! [`depth::MAX_DEPTH`] levels, and form pairs (`customers` as JSON or as bracket names) come
//! back as they were sent.

use super::*;
use proptest::prelude::*;

/// A JSON object whose member `x` nests the whole body to `levels` (the object is level 1).
fn object_of_depth(levels: usize) -> String {
    let inner = levels.saturating_sub(1);
    format!(
        r#"{{"api_key":"k","x":{}1{}}}"#,
        "[".repeat(inner),
        "]".repeat(inner)
    )
}

/// A customer list nested to `levels` (the list is 1, the customer 2, `x` the rest).
fn customers_of_depth(levels: usize) -> String {
    let inner = levels.saturating_sub(2);
    format!(
        r#"[{{"msisdn":"9447741462","x":{}1{}}}]"#,
        "[".repeat(inner),
        "]".repeat(inner)
    )
}

fn encode(text: &str) -> String {
    serde_urlencoded::to_string([("v", text)]).unwrap()[2..].to_string()
}

fn tricky() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::string::string_regex(r#"([\[\]{}"',:\\=&%+]|customers|\[0\]|msisdn|1| ){0,200}"#)
            .unwrap()
            .prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..300),
    ]
}

proptest! {
    #[test]
    fn any_body_is_read_without_panic(body in tricky()) {
        let params = Params::read(&body);
        for name in ["api_key", "customers", "x"] {
            let _ = params.field(name);
        }
        for customer in params.customers().unwrap_or_default() {
            let _ = (customer.field("msisdn"), customer.field("amount"));
        }
    }

    #[test]
    fn a_json_body_is_read_to_the_limit_and_no_deeper(levels in 2usize..300) {
        let params = Params::read(object_of_depth(levels).as_bytes());
        let read = params.field("api_key") == Field::Text("k".into());
        prop_assert_eq!(read, levels <= depth::MAX_DEPTH, "{}", levels);
    }

    #[test]
    fn a_customers_string_is_a_list_to_the_limit_and_no_deeper(levels in 2usize..300) {
        let form = format!("api_key=k&customers={}", encode(&customers_of_depth(levels)));
        let params = Params::read(form.as_bytes());
        prop_assert_eq!(params.field("api_key"), Field::Text("k".into()));
        let customers = params.customers();
        prop_assert_eq!(customers.is_some(), levels <= depth::MAX_DEPTH, "{}", levels);
        if let Some(customers) = customers {
            prop_assert_eq!(customers[0].field("msisdn"), Field::Text("9447741462".into()));
        }
    }

    #[test]
    fn bracket_pairs_come_back_by_index_and_name(
        sent in prop::collection::btree_map(0usize..20, ("[a-z_]{1,8}", "[0-9a-z .]{1,12}"), 1..6),
    ) {
        let form: Vec<(String, String)> = sent
            .iter()
            .map(|(index, (key, value))| (format!("customers[{index}][{key}]"), value.clone()))
            .collect();
        let params = Params::read(serde_urlencoded::to_string(&form).unwrap().as_bytes());
        let customers = params.customers().expect("a list");
        // Gathered in index order, gaps closed.
        prop_assert_eq!(customers.len(), sent.len());
        for (customer, (key, value)) in customers.iter().zip(sent.values()) {
            prop_assert_eq!(customer.field(key), Field::Text(value.clone()));
        }
    }

    #[test]
    fn form_fields_come_back_as_sent(
        fields in prop::collection::btree_map("[a-z_]{1,10}", ".{1,20}", 0..6),
    ) {
        let fields: Vec<_> = fields.into_iter().filter(|(name, _)| name != "customers").collect();
        let params = Params::read(serde_urlencoded::to_string(&fields).unwrap().as_bytes());
        for (name, value) in &fields {
            prop_assert_eq!(params.field(name), Field::Text(value.clone()));
        }
    }
}
