//! Lists shown 50 rows a page (`?page=N`): reading the page asked for, and the links to the
//! pages around it that keep the list's filters — with the total when the list counts its
//! rows, or only "is there a next page" when counting would cost too much.

use super::form::field;
use super::kit::{Ui, bad_request};
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::response::Response;
use maud::{Markup, html};
use std::collections::HashMap;

/// Rows on a page of a list.
pub const PER_PAGE: usize = 50;
/// [`PER_PAGE`] as SQL's `LIMIT` takes it.
pub const PAGE_SIZE: i64 = PER_PAGE as i64;

/// The `LIMIT` for a list that does not count its rows: one row past the page, to learn
/// whether another page follows (see [`past_page`]).
pub const PEEK_LIMIT: i64 = PAGE_SIZE + 1;

/// Drops the row a list read past its page (with [`PEEK_LIMIT`]); whether there was one, i.e.
/// whether a next page follows.
pub fn past_page<T>(rows: &mut Vec<T>) -> bool {
    let more = rows.len() > PER_PAGE;
    rows.truncate(PER_PAGE);
    more
}

/// How far a list goes, as its pager line tells it.
pub enum Extent<'a> {
    /// The list counted its rows: "N <noun>; page x of y".
    Total { rows: usize, noun: &'a str },
    /// The list read one row past the page to know whether another page follows: "Page x".
    HasNext(bool),
}

/// The page of a list asked for, from 1.
#[derive(Clone, Copy, Debug)]
pub struct Pager {
    pub page: usize,
}

impl Pager {
    /// The `page` query parameter (1 when absent); for a bad one, the message naming it.
    pub fn from_query(query: &HashMap<String, String>) -> Result<Pager, String> {
        match field(query, "page") {
            None => Ok(Pager { page: 1 }),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|page| (1..=10_000_000).contains(page))
                .map(|page| Pager { page })
                .ok_or_else(|| format!("page: `{text}` is not a page number (1, 2, …)")),
        }
    }

    /// Rows before this page.
    pub fn offset(&self) -> usize {
        (self.page - 1) * PER_PAGE
    }

    /// [`Pager::offset`] as SQL's `OFFSET` takes it.
    pub fn sql_offset(&self) -> i64 {
        self.offset() as i64
    }

    /// The pager line and links to the pages before and after; `filters` with no value (or
    /// a blank one) are left out of the links.
    pub fn nav(
        &self,
        ui: &Ui,
        path: &str,
        filters: &[(&str, Option<&str>)],
        extent: Extent,
    ) -> Markup {
        let link = |page: usize| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for (name, value) in filters {
                if let Some(value) = value.filter(|v| !v.is_empty()) {
                    query.append_pair(name, value);
                }
            }
            query.append_pair("page", &page.to_string());
            format!("{}?{}", ui.href(path), query.finish())
        };
        let has_next = match extent {
            Extent::Total { rows, .. } => self.page < rows.div_ceil(PER_PAGE).max(1),
            Extent::HasNext(more) => more,
        };
        html! {
            p.pager {
                @match extent {
                    Extent::Total { rows, noun } => {
                        (rows) " " (noun) "; page " (self.page) " of " (rows.div_ceil(PER_PAGE).max(1))
                    }
                    Extent::HasNext(_) => { "Page " (self.page) }
                }
                @if self.page > 1 { " " a rel="prev" href=(link(self.page - 1)) { "← previous" } }
                @if has_next { " " a rel="next" href=(link(self.page + 1)) { "next →" } }
            }
        }
    }
}

/// A list handler takes the page asked for as an argument; a bad `?page=` is answered 400,
/// naming it, before the handler runs.
impl<S: Send + Sync> FromRequestParts<S> for Pager {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        // A query string that is not form-encoded reads as no page; the handler's own
        // `Query` refuses it.
        let query = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
            .map(|Query(query)| query)
            .unwrap_or_default();
        Pager::from_query(&query).map_err(|message| bad_request(&message))
    }
}
