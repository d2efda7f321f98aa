//! Rebuild when a migration is added or changed: `db::MIGRATIONS` embeds them at compile time.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
