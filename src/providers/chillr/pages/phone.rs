//! Chillr's section of the phone page: the collect requests sent to the number, with
//! Pay / Decline on the pending ones (back to the phone page once done).

use super::batches::act_form;
use crate::dashboard::kit::{Ui, segment};
use crate::db::DbError;
use crate::providers::chillr::lifecycle::{PaymentStatus, Timeline, expires_at};
use crate::providers::chillr::store::{self, pages::collects_to};
use maud::{Markup, html};
use rusqlite::Connection;

/// `None` when no collect request was sent to `mobile` (10 digits).
pub fn section(conn: &Connection, ui: &Ui, mobile: &str) -> Result<Option<Markup>, DbError> {
    let collects = collects_to(conn, mobile)?;
    if collects.is_empty() {
        return Ok(None);
    }
    let back = ui.href(&format!("/phone/{}", segment(mobile)));
    Ok(Some(html! {
        h2 { "Chillr collect requests" }
        table #collects {
            tr { th { "batch" } th { "merchant" } th { "name" } th { "amount" } th { "state" } th {} }
            @for collect in &collects {
                @let timeline = Timeline {
                    created_at: collect.created_at,
                    expires_at: expires_at(collect.expiry_date),
                    now: ui.now,
                };
                @let effective = timeline.effective(mobile, collect.status, collect.acted_at);
                @let state = effective.status;
                @let batch_path = format!("/chillr/batches/{}", segment(&collect.batch_id));
                tr id={ "collect-" (collect.batch_id) } {
                    td { a href=(ui.href(&batch_path)) { (collect.batch_id) } }
                    td { (collect.api_key) }
                    td { (collect.name) }
                    td { (collect.amount) }
                    td.state { (state.as_str()) }
                    td {
                        @if state == PaymentStatus::Pending {
                            (act_form(ui, &batch_path, mobile, Some(&back)))
                        }
                        @if let Some(at) = effective.acted_at { (store::stamp(at)) }
                    }
                }
            }
        }
    }))
}

#[cfg(test)]
mod tests;
