//! The project pass of a review: before files are reviewed one by one, the
//! dataflow engine computes summaries for every function of every file
//! (`flow::project::build`), so that a file's review sees through calls into
//! the rest of the tree.
//!
//! This module is the I/O side of that pass: it names each file's module
//! from its path (the `__init__.py` files around it, or its place under the
//! scanned root) and hands the engine the files' texts and trees from a
//! [`Sources`], which reads and parses each file once.
//!
//! Neighbours: `pipeline::project_facts` calls [`facts`] on the discovered
//! files; the review then takes the kept trees from the same `Sources`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::flow::{self, FileEntry, Models, ProjectFacts};
use crate::input;
use crate::sources::Sources;

/// The facts of the project made of the files `sources` holds (`entries`
/// names them), for the rules `selected` says the review reports. Sinks of the
/// rules `prove` names are analysed even where no source reaches them, to
/// prove that only constants do (see `fusion`). With `reported`, the
/// review reports on the files it marks only, and the pass covers them and
/// what they import.
pub fn facts(
    sources: &Sources,
    entries: &[FileEntry],
    selected: &dyn Fn(&str) -> bool,
    prove: &dyn Fn(&str) -> bool,
    reported: Option<&[bool]>,
    memo: Option<&dyn flow::memo::Memo>,
) -> ProjectFacts {
    flow::project::build(entries, sources, Models::active(), selected, prove, reported, memo)
}

/// Each file of `sources` as the project pass sees it: its shown path, and
/// its module name from the packages around it or the `roots` it was found
/// under.
pub fn entries(sources: &Sources, roots: &[PathBuf]) -> Vec<FileEntry> {
    let mut packages = PackageDirs::default();
    (0..sources.len())
        .map(|i| {
            let path = sources.path(i);
            FileEntry {
                path: input::source::shown_path(path),
                module: module_name(path, roots, &mut packages),
                is_package: path.file_name().is_some_and(|n| n == "__init__.py"),
            }
        })
        .collect()
}

/// Whether directories hold an `__init__.py`, asked once each.
#[derive(Default)]
struct PackageDirs(HashMap<PathBuf, bool>);

impl PackageDirs {
    fn is_package(&mut self, dir: &Path) -> bool {
        if dir.as_os_str().is_empty() {
            return false;
        }
        *self
            .0
            .entry(dir.to_path_buf())
            .or_insert_with(|| dir.join("__init__.py").is_file())
    }
}

/// The dotted module name of a file: from the top of the package it sits in
/// (`nova/virt/images.py` → `nova.virt.images`), or, outside any package,
/// from the scanned root it was found under (`helpers/utils.py` →
/// `helpers.utils`, as a namespace package).
fn module_name(path: &Path, roots: &[PathBuf], packages: &mut PackageDirs) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut parts: Vec<String> = if stem == "__init__" { Vec::new() } else { vec![stem] };
    let mut dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if packages.is_package(&dir) {
        while packages.is_package(&dir) {
            if let Some(name) = dir.file_name() {
                parts.push(name.to_string_lossy().into_owned());
            }
            match dir.parent() {
                Some(parent) => dir = parent.to_path_buf(),
                None => break,
            }
        }
    } else {
        let root = roots
            .iter()
            .filter(|r| path.starts_with(r) && r.as_path() != path)
            .max_by_key(|r| r.components().count());
        if let Some(root) = root
            && let Ok(rel) = dir.strip_prefix(root)
        {
            for c in rel.components().rev() {
                let c = c.as_os_str().to_string_lossy();
                if c != "." {
                    parts.push(c.into_owned());
                }
            }
        }
    }
    parts.reverse();
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for f in [
            "nova/__init__.py",
            "nova/virt/__init__.py",
            "nova/virt/images.py",
            "helpers/utils.py",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "").unwrap();
        }
        let roots = vec![root.to_path_buf()];
        let mut packages = PackageDirs::default();
        let name = |f: &str, packages: &mut PackageDirs| module_name(&root.join(f), &roots, packages);
        assert_eq!(name("nova/virt/images.py", &mut packages), "nova.virt.images");
        assert_eq!(name("nova/virt/__init__.py", &mut packages), "nova.virt");
        assert_eq!(name("helpers/utils.py", &mut packages), "helpers.utils");
        let sub = vec![root.join("nova/virt")];
        assert_eq!(
            module_name(&root.join("nova/virt/images.py"), &sub, &mut packages),
            "nova.virt.images"
        );
    }
}
