//! The PayPro collection's requests: the document's samples as the default merchant sends
//! them, chained in an integrator's order, numbered anew on each run.

use crate::providers::openapi::{Collection, Fresh, Sample, SampleBody, default_fixture};
use serde_json::{Value, json};

/// The document's samples as the default merchant sends them (a form, as its C# sample
/// does), in an integrator's order: orders created, read, paid, refunded and blocked, then
/// consumers added, updated and read. Order and consumer numbers come from the run's stamp so
/// that a rerun creates new ones; later samples use what earlier ones created.
pub fn samples() -> Vec<Sample> {
    let head =
        json!({"MerchantId": "{{paypro_username}}", "MerchantPassword": "{{paypro_password}}"});
    let order = |number: &str| {
        json!({
            "OrderNumber": number, "OrderAmount": "4400",
            "OrderDueDate": "21/03/2099", "OrderAmountWithinDueDate": "4400",
            "OrderAmountAfterDueDate": "4400", "OrderType": "Service", "IssueDate": "14/03/2020",
            "OrderExpireAfterSeconds": "0", "CustomerName": "Umer Aziz",
            "CustomerMobile": "03123456789", "CustomerEmail": "", "CustomerAddress": "",
        })
    };
    let consumer = |id: &str, name: &str| {
        json!({
            "ConsumerID": id, "Name": name, "Mobile": "03123456789",
            "Email": "abcd@paypro.com.pk", "Address": "",
        })
    };
    let credentials = || {
        vec![
            ("userName", "{{paypro_username}}".to_string()),
            ("password", "{{paypro_password}}".to_string()),
        ]
    };
    let csv = |orders: &str| {
        json!({"Username": "{{paypro_username}}", "Password": "{{paypro_password}}",
               "CsvOrderNumbers": orders})
    };
    let form = |name: &'static str, value: Value| SampleBody::Form(vec![(name, value.to_string())]);
    let with = |mut pairs: Vec<(&'static str, String)>, name: &'static str, value: &str| {
        pairs.push((name, value.to_string()));
        pairs
    };
    let post = |name, path, body| Sample {
        name,
        method: "post",
        path,
        query: vec![],
        body,
        success: vec![("/0/Status", json!("00"))],
        keep: vec![],
        status: 200,
        fresh: vec![],
    };
    let get = |name, path, query| Sample {
        method: "get",
        query,
        body: SampleBody::None,
        ..post(name, path, SampleBody::None)
    };
    vec![
        Sample {
            keep: vec![
                ("paypro_cpay_id", "/1/ConnectPayId"),
                ("paypro_order_number", "/1/OrderNumber"),
            ],
            fresh: vec![("paypro_run", Fresh::Stamp)],
            ..post(
                "1.0 Single Order Creation",
                "/cpay/co",
                form("oJson", json!([head, order("Postman-{{paypro_run}}")])),
            )
        },
        Sample {
            success: vec![
                ("/0/Status", json!("00")),
                ("/1/OrderStatus", json!("Unpaid")),
            ],
            ..get(
                "7.0 Get Order Status",
                "/cpay/gos",
                with(credentials(), "cpayId", "{{paypro_cpay_id}}"),
            )
        },
        Sample {
            keep: vec![("paypro_cpay_id_c", "/2/ConnectPayId")],
            ..post(
                "2.0 Multiple Order Creation",
                "/cpay/cmo",
                form(
                    "oJson",
                    json!([
                        head,
                        order("Postman-{{paypro_run}}-B"),
                        order("Postman-{{paypro_run}}-C")
                    ]),
                ),
            )
        },
        // The document's sample of cmo is its error: an order number that exists already.
        Sample {
            success: vec![("/0/Status", json!("01"))],
            ..post(
                "2.0 Multiple Order Creation: an order that exists (the document's sample)",
                "/cpay/cmo",
                form("oJson", json!([head, order("Postman-{{paypro_run}}-B")])),
            )
        },
        post(
            "4.0 Mark Order As Paid",
            "/cpay/moap",
            form("csvOrders", csv("{{paypro_order_number}}")),
        ),
        get(
            "3.0 Get Paid Orders",
            "/cpay/gpojson",
            with(
                with(credentials(), "startDate", "2017/01/01"),
                "endDate",
                "2099/12/31",
            ),
        ),
        post(
            "6.0 Mark Order For Refund",
            "/cpay/mofr",
            form("csvOrders", csv("{{paypro_order_number}},4400|")),
        ),
        post(
            "5.0 Mark Order As Blocked",
            "/cpay/moab",
            form(
                "csvOrders",
                csv("Postman-{{paypro_run}}-B,Postman-{{paypro_run}}-C"),
            ),
        ),
        Sample {
            success: vec![
                ("/0/Status", json!("00")),
                ("/1/OrderStatus", json!("Blocked")),
            ],
            ..get(
                "7.0 Get Order Status (blocked)",
                "/cpay/gos",
                with(credentials(), "cpayId", "{{paypro_cpay_id_c}}"),
            )
        },
        Sample {
            keep: vec![("paypro_consumer", "/1/FullConsumerCode")],
            ..post(
                "8.0 Add Consumer",
                "/cpay/cc",
                form("oJson", json!([head, consumer("{{paypro_run}}", "Usman")])),
            )
        },
        Sample {
            keep: vec![
                ("paypro_consumer_1", "/1/ConsumerNumber"),
                ("paypro_consumer_2", "/2/ConsumerNumber"),
            ],
            ..post(
                "9.0 Add Multiple Consumer",
                "/cpay/cmc",
                form(
                    "oJson",
                    json!([
                        head,
                        consumer("{{paypro_run}}1", "User"),
                        consumer("{{paypro_run}}2", "User 2")
                    ]),
                ),
            )
        },
        post(
            "10.0 Update Consumer",
            "/cpay/uc",
            form(
                "oJson",
                json!([head, consumer("{{paypro_consumer}}", "Usman Khan")]),
            ),
        ),
        post(
            "11.0 Update Multiple Consumers",
            "/cpay/umc",
            form(
                "oJson",
                json!([
                    head,
                    consumer("{{paypro_consumer_1}}", "User One"),
                    consumer("{{paypro_consumer_2}}", "User Two")
                ]),
            ),
        ),
        Sample {
            success: vec![("/0/Status", json!("00")), ("/1/Name", json!("Usman Khan"))],
            ..get(
                "12.0 Get Consumer Data",
                "/cpay/gcd",
                with(credentials(), "fullConsumerCode", "{{paypro_consumer}}"),
            )
        },
    ]
}

pub fn collection() -> Collection {
    Collection {
        variables: vec![
            (
                "paypro_username",
                default_fixture("/paypro/merchants/0/username"),
            ),
            (
                "paypro_password",
                default_fixture("/paypro/merchants/0/password"),
            ),
        ],
        ..Collection::default()
    }
}
