//! One integration binary: every test starts the real server on a free port and talks HTTP.

mod admin;
mod aggrepay;
mod aggrepay_accounts;
mod aggrepay_limits_totals;
mod aggrepay_wallet;
mod chillr;
mod chillr_input;
mod chillr_lifecycle;
mod cli;
mod clock;
mod faults;
mod fixtures;
mod front;
mod fuzz;
mod golden;
mod helpers;
mod jaze;
mod jaze_receipts;
mod journal;
mod paypro;
mod paypro_consumers;
mod paypro_lifecycle;
mod paypro_orders;
mod request_line;
mod state;
