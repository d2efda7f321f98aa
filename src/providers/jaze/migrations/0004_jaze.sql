-- Jaze payment details: ISP accounts (HTTP Basic credentials).
create table jaze_accounts (
    id integer primary key,
    api_token text not null unique,
    api_key text not null,
    name text
) strict;
