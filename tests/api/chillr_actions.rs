//! Chillr: customer actions racing each other on one collect request.

use crate::chillr_lifecycle::{USER, act, create, customer, freeze, status};
use crate::helpers::spawn_app;
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn of_many_simultaneous_pays_and_declines_exactly_one_is_taken_and_the_rest_answer_409() {
    let app = spawn_app().await;
    freeze(&app).await;
    let batch_id = create(&app, json!([{"msisdn": USER, "amount": "200"}])).await;

    let actions = (0..16).map(|i| if i % 2 == 0 { "pay" } else { "decline" });
    let answers = join_all(actions.map(|action| {
        let (app, batch_id) = (&app, &batch_id);
        async move { (action, act(app, batch_id, USER, action).await) }
    }))
    .await;

    let taken: Vec<_> = answers
        .iter()
        .filter(|(_, (status, _))| *status == StatusCode::OK)
        .collect();
    assert_eq!(taken.len(), 1, "{answers:?}");
    let winner = if taken[0].0 == "pay" {
        "paid"
    } else {
        "declined"
    };
    for (_, (code, answer)) in answers.iter().filter(|(_, (s, _))| *s != StatusCode::OK) {
        assert_eq!(*code, StatusCode::CONFLICT, "{answer}");
        assert_eq!(answer["payment_status"], winner, "{answer}");
    }
    let view = status(&app, &batch_id).await;
    assert_eq!(customer(&view, USER)["payment_status"], winner, "{view}");
}
