//! Module names and imports inside the scanned project.
//!
//! A file's module name is given by the caller (the project pass derives it
//! from the path and the `__init__.py` files around it); here, relative
//! imports are resolved against it.

/// The module a `from ... import` statement reads from: `level` dots, then
/// `module`. `None` when the dots climb above the top package.
pub fn resolve_from(current: &str, is_package: bool, level: u32, module: Option<&str>) -> Option<String> {
    if level == 0 {
        return Some(module.unwrap_or("").to_string());
    }
    let mut parts: Vec<&str> = current.split('.').collect();
    // In `pkg/mod.py`, `.` is `pkg`; in `pkg/__init__.py`, `.` is `pkg` too.
    if !is_package {
        parts.pop();
    }
    for _ in 1..level {
        parts.pop()?;
    }
    let mut base = parts.join(".");
    if let Some(m) = module {
        if !base.is_empty() {
            base.push('.');
        }
        base.push_str(m);
    }
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_imports() {
        assert_eq!(
            resolve_from("nova.virt.driver", false, 0, Some("os")).as_deref(),
            Some("os")
        );
        assert_eq!(
            resolve_from("nova.virt.driver", false, 1, None).as_deref(),
            Some("nova.virt")
        );
        assert_eq!(
            resolve_from("nova.virt.driver", false, 1, Some("images")).as_deref(),
            Some("nova.virt.images")
        );
        assert_eq!(
            resolve_from("nova.virt.driver", false, 2, Some("utils")).as_deref(),
            Some("nova.utils")
        );
        assert_eq!(
            resolve_from("nova.virt", true, 1, Some("images")).as_deref(),
            Some("nova.virt.images")
        );
        assert_eq!(resolve_from("top", false, 2, Some("x")), None);
    }
}
