//! The Chillr and Jaze dashboard pages (issue 14): each page lists what fixtures and API
//! calls created, filters filter, lists paginate, each form changes the state as the
//! control-plane call does and answers 303, a bad value answers 400 naming it and changes
//! nothing, a post without the CSRF token is refused, user text is escaped.

mod chillr;
mod jaze;
