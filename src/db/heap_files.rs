//! The in-memory database's bytes: its main file and its WAL kept in this process's heap.
//!
//! `sqlite::memory:` is a WAL database (readers see the last commit while the writer writes,
//! [`super`]). WAL needs a VFS with shared memory and locks, which SQLite's own in-memory VFS
//! (memdb) lacks, so it runs on SQLite's `unix-excl` VFS: its locks and its WAL index are kept
//! in the process (one lock on the file, taken once, none per transaction). Left at that, every
//! page a commit writes and every page a reader loads after a commit is a system call on the
//! private files on `/dev/shm` (one core, `perf`: about 18 µs of the 119 µs of CPU a `co` took). This VFS is
//! `unix-excl` with the main file's and the WAL's bytes in memory instead: it hands the locks,
//! the shared memory and everything else to `unix-excl` (whose files stay, empty, as the
//! anchors of those locks) and serves reads, writes, sizes and truncation from a buffer that
//! all the database's connections share.
//!
//! Written by hand: the crates that build a VFS in Rust either lack WAL's shared memory
//! (sqlite-vfs) or generate their bindings with bindgen at build time (sqlite-plugin), and the
//! part that is ours is a byte buffer; the rest is SQLite's own `unix-excl`.

use rusqlite::ffi;
use std::collections::HashMap;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::mem::size_of;
use std::ptr;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// The VFS an in-memory database's connections open it with: this one, registered on first
/// use, or plain `unix` should SQLite have no `unix-excl` to build on.
pub(super) fn vfs() -> &'static CStr {
    if register() {
        c"paysandbox-heap"
    } else {
        c"unix"
    }
}

/// Registers the VFS with SQLite (once); false when SQLite has no `unix-excl` to build on.
fn register() -> bool {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    *REGISTERED.get_or_init(|| unsafe {
        let unix = ffi::sqlite3_vfs_find(c"unix-excl".as_ptr());
        if unix.is_null() {
            return false;
        }
        let mut vfs = ptr::read(unix);
        vfs.szOsFile = (size_of::<HeapFile>() + (*unix).szOsFile as usize) as c_int;
        vfs.pNext = ptr::null_mut();
        vfs.zName = c"paysandbox-heap".as_ptr();
        vfs.pAppData = unix.cast();
        vfs.xOpen = Some(x_open);
        vfs.xDelete = Some(x_delete);
        vfs.xAccess = Some(x_access);
        // SQLite keeps the pointer for the life of the process.
        let vfs = Box::leak(Box::new(vfs));
        ffi::sqlite3_vfs_register(vfs, 0) == ffi::SQLITE_OK
    })
}

/// One file's bytes, in chunks so that growing never moves (nor stalls readers on copying)
/// what is already there.
#[derive(Default)]
struct Bytes {
    chunks: Vec<Box<[u8]>>,
    len: usize,
}

const CHUNK: usize = 64 * 1024;

impl Bytes {
    /// Copies from `offset` into `out`; how many bytes there were.
    fn read(&self, offset: usize, out: &mut [u8]) -> usize {
        let end = self.len.min(offset.saturating_add(out.len()));
        let mut at = offset;
        while at < end {
            let (chunk, within) = (at / CHUNK, at % CHUNK);
            let n = (CHUNK - within).min(end - at);
            out[at - offset..at - offset + n]
                .copy_from_slice(&self.chunks[chunk][within..within + n]);
            at += n;
        }
        end.saturating_sub(offset)
    }

    fn write(&mut self, offset: usize, data: &[u8]) {
        let end = offset + data.len();
        while self.chunks.len() * CHUNK < end {
            self.chunks.push(vec![0; CHUNK].into_boxed_slice());
        }
        if offset > self.len {
            // A write past the end leaves a hole that reads as zeros, as in a file; the chunk
            // may still hold bytes from before a truncation.
            self.zero(self.len, offset);
        }
        let mut at = offset;
        while at < end {
            let (chunk, within) = (at / CHUNK, at % CHUNK);
            let n = (CHUNK - within).min(end - at);
            self.chunks[chunk][within..within + n]
                .copy_from_slice(&data[at - offset..at - offset + n]);
            at += n;
        }
        self.len = self.len.max(end);
    }

    fn zero(&mut self, from: usize, to: usize) {
        let mut at = from;
        while at < to {
            let (chunk, within) = (at / CHUNK, at % CHUNK);
            let n = (CHUNK - within).min(to - at);
            self.chunks[chunk][within..within + n].fill(0);
            at += n;
        }
    }

    fn truncate(&mut self, len: usize) {
        if len < self.len {
            self.len = len;
            self.chunks.truncate(len.div_ceil(CHUNK));
        }
    }
}

/// A file's shared bytes and how many open handles use them.
struct Shared {
    bytes: Arc<RwLock<Bytes>>,
    handles: usize,
}

/// The bytes of every open main file and WAL, by path.
fn files() -> &'static Mutex<HashMap<String, Shared>> {
    static FILES: OnceLock<Mutex<HashMap<String, Shared>>> = OnceLock::new();
    FILES.get_or_init(Default::default)
}

/// Whether the bytes of the file at `path` are held (some connection has it open).
#[cfg(test)]
pub(super) fn holds(path: &std::path::Path) -> bool {
    let files = files().lock().unwrap_or_else(|e| e.into_inner());
    files.contains_key(path.to_string_lossy().as_ref())
}

/// An open file: SQLite's header, then `unix-excl`'s own file object right after it.
#[repr(C)]
struct HeapFile {
    base: ffi::sqlite3_file,
    real: *mut ffi::sqlite3_file,
    /// Set for a main file or a WAL; other files (temporary ones) go to `unix-excl` whole.
    bytes: Option<Arc<RwLock<Bytes>>>,
    path: Option<String>,
}

unsafe fn unix_vfs(vfs: *mut ffi::sqlite3_vfs) -> *mut ffi::sqlite3_vfs {
    unsafe { (*vfs).pAppData.cast() }
}

unsafe fn path_of(name: *const c_char) -> Option<String> {
    (!name.is_null()).then(|| {
        unsafe { CStr::from_ptr(name) }
            .to_string_lossy()
            .into_owned()
    })
}

unsafe extern "C" fn x_open(
    vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    unsafe {
        let heap = file.cast::<HeapFile>();
        let real = file
            .cast::<u8>()
            .add(size_of::<HeapFile>())
            .cast::<ffi::sqlite3_file>();
        let unix = unix_vfs(vfs);
        let rc =
            ((*unix).xOpen.expect("unix-excl opens files"))(unix, name, real, flags, out_flags);
        if rc != ffi::SQLITE_OK {
            // SQLite calls no method (not even xClose) on a file whose methods are null.
            (*heap).base.pMethods = ptr::null();
            return rc;
        }
        let kept = flags & (ffi::SQLITE_OPEN_MAIN_DB | ffi::SQLITE_OPEN_WAL) != 0;
        let path = if kept { path_of(name) } else { None };
        let bytes = path.as_ref().map(|path| {
            let mut files = files().lock().unwrap_or_else(|e| e.into_inner());
            let shared = files.entry(path.clone()).or_insert_with(|| Shared {
                bytes: Arc::default(),
                handles: 0,
            });
            shared.handles += 1;
            shared.bytes.clone()
        });
        ptr::write(
            heap,
            HeapFile {
                base: ffi::sqlite3_file { pMethods: &METHODS },
                real,
                bytes,
                path,
            },
        );
        ffi::SQLITE_OK
    }
}

unsafe extern "C" fn x_delete(
    vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    sync: c_int,
) -> c_int {
    unsafe {
        if let Some(path) = path_of(name) {
            let files = files().lock().unwrap_or_else(|e| e.into_inner());
            if let Some(shared) = files.get(&path) {
                shared
                    .bytes
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .truncate(0);
            }
        }
        let unix = unix_vfs(vfs);
        ((*unix).xDelete.expect("unix-excl deletes files"))(unix, name, sync)
    }
}

/// Whether a file exists: for one kept here, whether it has bytes (as `unix` answers for a
/// file on disk: an empty WAL is no WAL).
unsafe extern "C" fn x_access(
    vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    flags: c_int,
    out: *mut c_int,
) -> c_int {
    unsafe {
        if flags == ffi::SQLITE_ACCESS_EXISTS
            && let Some(path) = path_of(name)
            && let Some(shared) = files().lock().unwrap_or_else(|e| e.into_inner()).get(&path)
        {
            *out = c_int::from(shared.bytes.read().unwrap_or_else(|e| e.into_inner()).len > 0);
            return ffi::SQLITE_OK;
        }
        let unix = unix_vfs(vfs);
        ((*unix).xAccess.expect("unix-excl answers access"))(unix, name, flags, out)
    }
}

static METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 3,
    xClose: Some(x_close),
    xRead: Some(x_read),
    xWrite: Some(x_write),
    xTruncate: Some(x_truncate),
    xSync: Some(x_sync),
    xFileSize: Some(x_file_size),
    xLock: Some(x_lock),
    xUnlock: Some(x_unlock),
    xCheckReservedLock: Some(x_check_reserved_lock),
    xFileControl: Some(x_file_control),
    xSectorSize: Some(x_sector_size),
    xDeviceCharacteristics: Some(x_device_characteristics),
    xShmMap: Some(x_shm_map),
    xShmLock: Some(x_shm_lock),
    xShmBarrier: Some(x_shm_barrier),
    xShmUnmap: Some(x_shm_unmap),
    xFetch: Some(x_fetch),
    xUnfetch: Some(x_unfetch),
};

unsafe fn parts<'a>(
    file: *mut ffi::sqlite3_file,
) -> (
    &'a HeapFile,
    *mut ffi::sqlite3_file,
    &'a ffi::sqlite3_io_methods,
) {
    unsafe {
        let heap = &*file.cast::<HeapFile>();
        (heap, heap.real, &*(*heap.real).pMethods)
    }
}

unsafe extern "C" fn x_close(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let heap = file.cast::<HeapFile>();
        let real = (*heap).real;
        let rc = ((*(*real).pMethods).xClose.expect("unix-excl closes"))(real);
        let HeapFile { path, bytes, .. } = ptr::read(heap);
        drop(bytes);
        if let Some(path) = path {
            let mut files = files().lock().unwrap_or_else(|e| e.into_inner());
            if let Some(shared) = files.get_mut(&path) {
                shared.handles -= 1;
                if shared.handles == 0 {
                    files.remove(&path);
                }
            }
        }
        (*heap).base.pMethods = ptr::null();
        rc
    }
}

unsafe extern "C" fn x_read(
    file: *mut ffi::sqlite3_file,
    out: *mut c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    unsafe {
        let (heap, real, unix) = parts(file);
        let Some(bytes) = &heap.bytes else {
            return (unix.xRead.expect("unix-excl reads"))(real, out, amount, offset);
        };
        let out = std::slice::from_raw_parts_mut(out.cast::<u8>(), amount as usize);
        let got = bytes
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .read(offset as usize, out);
        if got < out.len() {
            // SQLite's contract for a short read: the rest zeroed, and say so.
            out[got..].fill(0);
            return ffi::SQLITE_IOERR_SHORT_READ;
        }
        ffi::SQLITE_OK
    }
}

unsafe extern "C" fn x_write(
    file: *mut ffi::sqlite3_file,
    data: *const c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    unsafe {
        let (heap, real, unix) = parts(file);
        let Some(bytes) = &heap.bytes else {
            return (unix.xWrite.expect("unix-excl writes"))(real, data, amount, offset);
        };
        let data = std::slice::from_raw_parts(data.cast::<u8>(), amount as usize);
        bytes
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .write(offset as usize, data);
        ffi::SQLITE_OK
    }
}

unsafe extern "C" fn x_truncate(file: *mut ffi::sqlite3_file, size: i64) -> c_int {
    unsafe {
        let (heap, real, unix) = parts(file);
        match &heap.bytes {
            Some(bytes) => {
                bytes
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .truncate(size as usize);
                ffi::SQLITE_OK
            }
            None => (unix.xTruncate.expect("unix-excl truncates"))(real, size),
        }
    }
}

unsafe extern "C" fn x_sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    unsafe {
        let (heap, real, unix) = parts(file);
        match &heap.bytes {
            // Nothing of an in-memory database outlives the process.
            Some(_) => ffi::SQLITE_OK,
            None => (unix.xSync.expect("unix-excl syncs"))(real, flags),
        }
    }
}

unsafe extern "C" fn x_file_size(file: *mut ffi::sqlite3_file, size: *mut i64) -> c_int {
    unsafe {
        let (heap, real, unix) = parts(file);
        match &heap.bytes {
            Some(bytes) => {
                *size = bytes.read().unwrap_or_else(|e| e.into_inner()).len as i64;
                ffi::SQLITE_OK
            }
            None => (unix.xFileSize.expect("unix-excl sizes"))(real, size),
        }
    }
}

unsafe extern "C" fn x_file_control(
    file: *mut ffi::sqlite3_file,
    op: c_int,
    arg: *mut c_void,
) -> c_int {
    unsafe {
        let (heap, real, unix) = parts(file);
        if heap.bytes.is_some() && op == ffi::SQLITE_FCNTL_SIZE_HINT {
            // `unix` would grow the empty file on disk to the hinted size.
            return ffi::SQLITE_OK;
        }
        (unix.xFileControl.expect("unix-excl file controls"))(real, op, arg)
    }
}

unsafe extern "C" fn x_fetch(
    file: *mut ffi::sqlite3_file,
    offset: i64,
    amount: c_int,
    out: *mut *mut c_void,
) -> c_int {
    unsafe {
        let (heap, real, unix) = parts(file);
        if heap.bytes.is_some() {
            // No mapping: SQLite reads the page with xRead instead.
            *out = ptr::null_mut();
            return ffi::SQLITE_OK;
        }
        (unix.xFetch.expect("unix-excl fetches"))(real, offset, amount, out)
    }
}

unsafe extern "C" fn x_unfetch(
    file: *mut ffi::sqlite3_file,
    offset: i64,
    page: *mut c_void,
) -> c_int {
    unsafe {
        let (heap, real, unix) = parts(file);
        if heap.bytes.is_some() {
            return ffi::SQLITE_OK;
        }
        (unix.xUnfetch.expect("unix-excl unfetches"))(real, offset, page)
    }
}

// The rest is `unix-excl`'s: locks, shared memory and the device's characteristics.

unsafe extern "C" fn x_lock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    unsafe {
        let (_, real, unix) = parts(file);
        (unix.xLock.expect("unix-excl locks"))(real, level)
    }
}

unsafe extern "C" fn x_unlock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    unsafe {
        let (_, real, unix) = parts(file);
        (unix.xUnlock.expect("unix-excl unlocks"))(real, level)
    }
}

unsafe extern "C" fn x_check_reserved_lock(file: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    unsafe {
        let (_, real, unix) = parts(file);
        (unix.xCheckReservedLock.expect("unix-excl checks locks"))(real, out)
    }
}

unsafe extern "C" fn x_sector_size(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let (_, real, unix) = parts(file);
        (unix.xSectorSize.expect("unix-excl has a sector size"))(real)
    }
}

unsafe extern "C" fn x_device_characteristics(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let (_, real, unix) = parts(file);
        (unix
            .xDeviceCharacteristics
            .expect("unix-excl has characteristics"))(real)
    }
}

unsafe extern "C" fn x_shm_map(
    file: *mut ffi::sqlite3_file,
    region: c_int,
    size: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    unsafe {
        let (_, real, unix) = parts(file);
        (unix.xShmMap.expect("unix-excl maps shared memory"))(real, region, size, extend, out)
    }
}

unsafe extern "C" fn x_shm_lock(
    file: *mut ffi::sqlite3_file,
    offset: c_int,
    n: c_int,
    flags: c_int,
) -> c_int {
    unsafe {
        let (_, real, unix) = parts(file);
        (unix.xShmLock.expect("unix-excl locks shared memory"))(real, offset, n, flags)
    }
}

unsafe extern "C" fn x_shm_barrier(file: *mut ffi::sqlite3_file) {
    unsafe {
        let (_, real, unix) = parts(file);
        (unix.xShmBarrier.expect("unix-excl has a barrier"))(real)
    }
}

unsafe extern "C" fn x_shm_unmap(file: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    unsafe {
        let (_, real, unix) = parts(file);
        (unix.xShmUnmap.expect("unix-excl unmaps shared memory"))(real, delete)
    }
}

#[cfg(test)]
mod tests {
    use super::Bytes;

    #[test]
    fn bytes_read_back_across_chunks_and_holes_read_as_zeros() {
        let mut bytes = Bytes::default();
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        bytes.write(10, &data);
        let mut out = vec![0; data.len()];
        assert_eq!(bytes.read(10, &mut out), data.len());
        assert_eq!(out, data);
        bytes.truncate(100);
        bytes.write(70_000, b"x");
        let mut hole = vec![1; 10];
        assert_eq!(bytes.read(100, &mut hole), 10);
        assert_eq!(
            hole,
            vec![0; 10],
            "bytes cut by a truncation do not come back"
        );
        let mut tail = vec![0; 4];
        assert_eq!(
            bytes.read(70_000, &mut tail),
            1,
            "a read past the end is short"
        );
    }
}
