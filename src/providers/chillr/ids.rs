//! Chillr's identifiers: MongoDB-style ObjectIds for batches, 12-digit transaction ids.

use chrono::{DateTime, Utc};
use rand::Rng;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// Five random bytes per process, as an ObjectId's middle part.
static PROCESS: LazyLock<[u8; 5]> = LazyLock::new(|| rand::rng().random());
static COUNTER: LazyLock<AtomicU32> = LazyLock::new(|| AtomicU32::new(rand::rng().random()));

/// 24 lower-case hex characters: 4 bytes of creation time (seconds), 5 process bytes, a
/// 3-byte counter.
pub fn batch_id(created_at: DateTime<Utc>) -> String {
    let seconds = u32::try_from(created_at.timestamp().max(0)).unwrap_or(u32::MAX);
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed) & 0x00ff_ffff;
    format!("{seconds:08x}{}{counter:06x}", hex::encode(*PROCESS))
}

pub fn is_batch_id(text: &str) -> bool {
    text.len() == 24 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// 12 digits, not starting with zero.
pub fn transaction_id() -> String {
    rand::rng()
        .random_range(100_000_000_000u64..=999_999_999_999)
        .to_string()
}

pub fn is_transaction_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_id_starts_with_its_creation_time() {
        let at = DateTime::parse_from_rfc3339("2016-05-24T07:03:14Z")
            .unwrap()
            .with_timezone(&Utc);
        let id = batch_id(at);
        assert!(is_batch_id(&id), "{id}");
        assert!(id.starts_with("5743fcb2"), "{id}");
        assert_ne!(batch_id(at), id, "the counter makes each one unique");
    }

    #[test]
    fn transaction_ids_have_twelve_digits() {
        for _ in 0..100 {
            let id = transaction_id();
            assert!(is_transaction_id(&id) && !id.starts_with('0'), "{id}");
        }
    }
}
