//! Live refresh: a small script compiled into the binary, served at `live.js` and loaded by
//! every page. On a page with elements marked `data-live` (each with an `id`) it offers a
//! toggle; with `?live=1` it re-fetches the page every 2 s and swaps in those elements. Pages
//! work without it.

use axum::http::header;
use axum::response::IntoResponse;

/// Plain JavaScript, no library: a constant, never user data. An element holding the focus is
/// left alone so a half-typed form is not wiped; a hidden tab does not poll.
pub const SCRIPT: &str = r#"(function () {
  if (!document.querySelector('[data-live][id]')) return;
  var on = new URL(location.href).searchParams.get('live') === '1';
  var next = new URL(location.href);
  if (on) { next.searchParams.delete('live'); } else { next.searchParams.set('live', '1'); }
  var toggle = document.createElement('a');
  toggle.id = 'live-toggle';
  toggle.href = next.pathname + next.search + next.hash;
  toggle.textContent = on ? 'Live: on (stop)' : 'Live: off (refresh every 2 s)';
  (document.querySelector('nav') || document.body).appendChild(toggle);
  if (!on) return;
  var busy = false;
  function swap() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (text === null) return;
        var fresh = new DOMParser().parseFromString(text, 'text/html');
        document.querySelectorAll('[data-live][id]').forEach(function (old) {
          if (old.contains(document.activeElement)) return;
          var now = fresh.getElementById(old.id);
          if (now && now.innerHTML !== old.innerHTML) {
            old.replaceWith(document.importNode(now, true));
          }
        });
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  setInterval(swap, 2000);
})();
"#;

/// `GET /__sandbox/ui/live.js`.
pub async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        SCRIPT,
    )
}
