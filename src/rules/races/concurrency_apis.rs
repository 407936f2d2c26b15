//! The lock, event and temporary-name APIs the races rules know, as data.
//!
//! To add an entry: put the qualified name (or, for [`EVENT_WAIT_CONTEXTS`]
//! and [`LOCK_BY_NAME`], the last segment of a method name) on its own line,
//! keeping each table sorted (a unit test checks the order).

/// Calls that make a new lock object. A lock made on every call of the
/// function that uses it guards nothing.
pub const LOCK_FACTORIES: &[&str] = &[
    "eventlet.semaphore.BoundedSemaphore",
    "eventlet.semaphore.Semaphore",
    "multiprocessing.Lock",
    "multiprocessing.RLock",
    "threading.BoundedSemaphore",
    "threading.Condition",
    "threading.Lock",
    "threading.RLock",
    "threading.Semaphore",
];

/// Methods that take or make a lock from a name: the same name gives the
/// same lock, so a name that differs on every call guards nothing.
pub const LOCK_BY_NAME: &[&str] = &["external_lock", "get_lock", "internal_lock", "lock", "synchronized"];

/// Operations, their reverse on one resource (`initialize_connection` and
/// `terminate_connection`, `map_lun` and `unmap_lun`), and what that
/// resource is (a noun, no article). Method names are the verb alone or the
/// verb, `_` and the rest (a leading `_` kept). Sorted by the first verb.
pub const REVERSE_OPERATIONS: &[(&str, &str, &str)] = &[
    ("add", "remove", "entry"),
    ("allocate", "deallocate", "allocation"),
    ("attach", "detach", "attachment"),
    ("bind", "unbind", "binding"),
    ("connect", "disconnect", "connection"),
    ("export", "unexport", "export"),
    (
        "initialize_connection",
        "terminate_connection",
        "host connection (the host entry, its mappings and zones)",
    ),
    ("link", "unlink", "link"),
    ("load", "unload", "loaded module"),
    ("map", "unmap", "mapping"),
    ("mount", "umount", "mount"),
    ("mount", "unmount", "mount"),
    ("plug", "unplug", "plugged device"),
    ("register", "unregister", "registration"),
    ("reserve", "unreserve", "reservation"),
    ("serve", "unserve", "served disk"),
    ("subscribe", "unsubscribe", "subscription"),
];

/// Calls whose value differs on every call.
pub const UNIQUE_PER_CALL: &[&str] = &[
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "id",
    "os.urandom",
    "oslo_utils.timeutils.utcnow",
    "oslo_utils.uuidutils.generate_uuid",
    "random.randint",
    "random.random",
    "secrets.token_hex",
    "threading.get_ident",
    "time.monotonic",
    "time.time",
    "timeutils.utcnow",
    "uuid.uuid1",
    "uuid.uuid4",
    "uuidutils.generate_uuid",
];

/// Context managers that register a waiter for events that the body of the
/// `with` must trigger (Nova's `virtapi.wait_for_instance_event`): the
/// waiter exists only inside the body.
pub const EVENT_WAIT_CONTEXTS: &[&str] = &["wait_for_instance_event"];

/// Calls that return a name for a temporary file without creating it.
pub const TEMP_NAME_ONLY: &[&str] = &["tempfile.mktemp"];

pub fn is_lock_factory(qualname: &str) -> bool {
    LOCK_FACTORIES.binary_search(&qualname).is_ok()
}

pub fn is_lock_by_name(qualname: &str) -> bool {
    let last = crate::python::names::last_segment(qualname);
    LOCK_BY_NAME.binary_search(&last).is_ok()
}

pub fn is_unique_per_call(qualname: &str) -> bool {
    UNIQUE_PER_CALL.binary_search(&qualname).is_ok()
}

pub fn is_event_wait_context(qualname: &str) -> bool {
    let last = crate::python::names::last_segment(qualname);
    EVENT_WAIT_CONTEXTS.binary_search(&last).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        for table in [
            LOCK_FACTORIES,
            LOCK_BY_NAME,
            UNIQUE_PER_CALL,
            EVENT_WAIT_CONTEXTS,
            TEMP_NAME_ONLY,
        ] {
            assert!(table.windows(2).all(|w| w[0] < w[1]), "{table:?}");
        }
        assert!(REVERSE_OPERATIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_lock_by_name("lockutils.synchronized"));
        assert!(is_lock_factory("threading.Lock"));
        assert!(is_event_wait_context("self.virtapi.wait_for_instance_event"));
    }
}
