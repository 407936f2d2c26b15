//! The permission constants of Python's `stat` module and their values, for
//! reading modes such as `stat.S_IRUSR | stat.S_IWUSR` (R5xx).
//!
//! The general family keeps the same table for S103; rules may not reach
//! into another family, so it is repeated here until it moves to `python`.
//!
//! To add an entry: put `("NAME", value)` on its own line, keeping the table
//! sorted by name (a unit test checks the order); values are those of
//! CPython's `stat.py`.

pub const STAT_MODES: &[(&str, u32)] = &[
    ("S_ENFMT", 0o2000),
    ("S_IEXEC", 0o100),
    ("S_IREAD", 0o400),
    ("S_IRGRP", 0o040),
    ("S_IROTH", 0o004),
    ("S_IRUSR", 0o400),
    ("S_IRWXG", 0o070),
    ("S_IRWXO", 0o007),
    ("S_IRWXU", 0o700),
    ("S_ISGID", 0o2000),
    ("S_ISUID", 0o4000),
    ("S_ISVTX", 0o1000),
    ("S_IWGRP", 0o020),
    ("S_IWOTH", 0o002),
    ("S_IWRITE", 0o200),
    ("S_IWUSR", 0o200),
    ("S_IXGRP", 0o010),
    ("S_IXOTH", 0o001),
    ("S_IXUSR", 0o100),
];

/// The value of `stat.<name>`.
pub fn stat_mode(name: &str) -> Option<u32> {
    STAT_MODES
        .binary_search_by_key(&name, |(n, _)| n)
        .ok()
        .map(|i| STAT_MODES[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_searchable() {
        assert!(STAT_MODES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(stat_mode("S_IWOTH"), Some(0o002));
        assert_eq!(stat_mode("S_IRWXU"), Some(0o700));
        assert_eq!(stat_mode("ST_MODE"), None);
    }
}
