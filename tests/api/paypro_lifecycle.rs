//! PayPro order lifecycle (in progress).
