//! One integration binary: every test starts the real server on a free port and talks HTTP.

mod admin;
mod cli;
mod clock;
mod faults;
mod fixtures;
mod front;
mod helpers;
mod journal;
mod state;
