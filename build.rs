//! Rebuild when a migration is added or changed: each provider embeds its
//! `src/providers/<name>/migrations/*.sql` at compile time.

fn main() {
    println!("cargo:rerun-if-changed=src/providers");
}
