//! PayPro's endpoint handlers, one file per group of the document's sections: order
//! creation, queries, changes and consumers.

pub mod changes;
pub mod consumers;
pub mod extract;
pub mod orders;
pub mod queries;
