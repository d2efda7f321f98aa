//! Lists shown 50 rows a page (`?page=N`), with links that keep the list's filters.

use crate::dashboard::kit::Ui;
use maud::{Markup, html};
use std::collections::HashMap;

pub const PER_PAGE: usize = 50;

pub struct Pager {
    pub page: usize,
}

impl Pager {
    /// The `page` query parameter (1 when absent); for a bad one, the message naming it.
    pub fn from_query(query: &HashMap<String, String>) -> Result<Pager, String> {
        match super::field(query, "page") {
            None => Ok(Pager { page: 1 }),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|page| (1..=1_000_000).contains(page))
                .map(|page| Pager { page })
                .ok_or_else(|| format!("page: `{text}` is not a page number (1, 2, …)")),
        }
    }

    pub fn offset(&self) -> usize {
        (self.page - 1) * PER_PAGE
    }

    /// "N <noun>; page x of y" and links to the pages before and after.
    pub fn nav(
        &self,
        ui: &Ui,
        path: &str,
        filters: &[(&str, Option<&str>)],
        total: usize,
        noun: &str,
    ) -> Markup {
        let pages = total.div_ceil(PER_PAGE).max(1);
        let link = |page: usize| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for (name, value) in filters {
                if let Some(value) = value {
                    query.append_pair(name, value);
                }
            }
            query.append_pair("page", &page.to_string());
            format!("{}?{}", ui.href(path), query.finish())
        };
        html! {
            p.pager {
                (total) " " (noun) "; page " (self.page) " of " (pages)
                @if self.page > 1 { " " a rel="prev" href=(link(self.page - 1)) { "← previous" } }
                @if self.page < pages { " " a rel="next" href=(link(self.page + 1)) { "next →" } }
            }
        }
    }
}
