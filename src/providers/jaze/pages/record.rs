//! A form's fields as the JSON record the control plane takes; a value of the wrong kind is
//! refused here, naming the field, so the message says more than a JSON parse error.

use crate::dashboard::kit::field;
use crate::money::Amount;
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::HashMap;

pub struct Record<'a> {
    fields: &'a HashMap<String, String>,
    json: Map<String, Value>,
}

impl<'a> Record<'a> {
    /// A record for the account the form names (none: the only account).
    pub fn new(fields: &'a HashMap<String, String>) -> Self {
        let mut json = Map::new();
        if let Some(account) = field(fields, "account") {
            json.insert("account".into(), account.into());
        }
        Record { fields, json }
    }

    fn value(&self, name: &str, required: bool) -> Result<Option<&'a str>, String> {
        match field(self.fields, name) {
            None if required => Err(format!("{name}: required")),
            found => Ok(found),
        }
    }

    pub fn text(mut self, name: &str, required: bool) -> Result<Self, String> {
        if let Some(text) = self.value(name, required)? {
            self.json.insert(name.into(), text.into());
        }
        Ok(self)
    }

    pub fn whole(mut self, name: &str, required: bool) -> Result<Self, String> {
        if let Some(text) = self.value(name, required)? {
            let number: i64 = text
                .parse()
                .map_err(|_| format!("{name}: `{text}` is not a whole number"))?;
            self.json.insert(name.into(), number.into());
        }
        Ok(self)
    }

    /// Whole numbers separated by commas or spaces.
    pub fn wholes(mut self, name: &str) -> Result<Self, String> {
        if let Some(text) = self.value(name, false)? {
            let numbers = text
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|n| !n.is_empty())
                .map(|n| {
                    n.parse::<i64>()
                        .map_err(|_| format!("{name}: `{n}` is not a whole number"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            self.json.insert(name.into(), numbers.into());
        }
        Ok(self)
    }

    pub fn amount(mut self, name: &str) -> Result<Self, String> {
        if let Some(text) = self.value(name, true)? {
            Amount::parse(text).map_err(|e| format!("{name}: {e}"))?;
            self.json.insert(name.into(), text.into());
        }
        Ok(self)
    }

    /// `yyyy-mm-dd`.
    pub fn date(mut self, name: &str) -> Result<Self, String> {
        if let Some(text) = self.value(name, false)? {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| format!("{name}: `{text}` is not a yyyy-mm-dd date"))?;
            self.json.insert(name.into(), text.into());
        }
        Ok(self)
    }

    pub fn done(self) -> Map<String, Value> {
        self.json
    }
}
