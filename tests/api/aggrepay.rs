//! AggrePay wallet: golden cases from every sample of the document.

use crate::golden;

#[tokio::test]
async fn every_sample_of_the_aggrepay_document_answers_as_its_golden_case() {
    let ran = golden::run_all("aggrepay").await;
    assert!(
        ran >= 20,
        "one case per sample of the document, found {ran}"
    );
}
