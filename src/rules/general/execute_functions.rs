//! OpenStack's command runners that take `run_as_root=True` and then run the
//! command through rootwrap (or sudo) as root (B111).
//!
//! The entries are the qualified names a call resolves to through the
//! module's imports (`from nova import utils; utils.execute(...)` is
//! `nova.utils.execute`). Calls to these are reported with MEDIUM confidence;
//! any other function named `execute` or `trycmd` still is, with LOW.
//!
//! To add an entry: put the qualified name on its own line, keeping the table
//! sorted (a unit test checks the order).

pub const EXECUTE_FUNCTIONS: &[&str] = &[
    "ceilometer.utils.execute",
    "cinder.utils.execute",
    "neutron.agent.linux.utils.execute",
    "nova.utils.execute",
    "nova.utils.trycmd",
    "oslo_concurrency.processutils.execute",
    "oslo_concurrency.processutils.trycmd",
    "processutils.execute",
    "processutils.trycmd",
];

/// Whether `qualname` is one of the known runners.
pub fn is_known_execute_function(qualname: &str) -> bool {
    EXECUTE_FUNCTIONS.binary_search(&qualname).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_searchable() {
        assert!(EXECUTE_FUNCTIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_known_execute_function("nova.utils.execute"));
        assert!(!is_known_execute_function("nova.utils.exec"));
    }
}
