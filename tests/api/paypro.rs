//! PayPro ConnectPay: golden cases from every sample of the document.

use crate::golden;

#[tokio::test]
async fn every_sample_of_the_paypro_document_answers_as_its_golden_case() {
    let ran = golden::run_all("paypro").await;
    assert!(
        ran >= 15,
        "one case per sample of the document, found {ran}"
    );
}
