//! What each module of the project can see: itself and the modules it
//! imports, directly or through others (its import closure).
//!
//! The interpreter looks project names up (summaries, classes, module-level
//! values) only in the modules its own module sees. Python gives a module
//! nothing else by name: a module reached only as an attribute of a parent
//! package that some other file imported is there or not depending on
//! import order, and the pass must not depend on it. So a module's facts
//! follow from the texts of its closure alone, whatever else the tree holds
//! and whichever order the pass analysed it in, and a review that reports on
//! a few files needs the facts of their closures only.

use super::fxhash::FxHashMap;

/// The import closure of every module, as bit rows over the modules other
/// modules import (a module nothing imports is seen by itself only, and its
/// own names are the analysis's own).
#[derive(Debug, Default)]
pub struct Scope {
    /// Each module's component (its import cycle, or itself).
    component_of: FxHashMap<String, u32>,
    /// Each imported module's column.
    column_of: FxHashMap<String, u32>,
    /// A component's closure, `words` 64-bit words per row.
    rows: Vec<u64>,
    words: usize,
}

impl Scope {
    /// `modules[i]` imports `imports[i]` (indices into `modules`);
    /// `components` are the import cycles, dependencies first (Tarjan's
    /// order); `imported[i]` says whether another module imports `i`.
    pub fn new(modules: &[&str], imports: &[Vec<usize>], components: &[Vec<usize>], imported: &[bool]) -> Scope {
        let mut scope = Scope::default();
        let mut column = vec![u32::MAX; modules.len()];
        for (i, name) in modules.iter().enumerate() {
            if imported[i] && !scope.column_of.contains_key(*name) {
                column[i] = scope.column_of.len() as u32;
                scope.column_of.insert((*name).to_string(), column[i]);
            }
        }
        scope.words = scope.column_of.len().div_ceil(64);
        let mut component = vec![0u32; modules.len()];
        for (c, members) in components.iter().enumerate() {
            for &m in members {
                component[m] = c as u32;
            }
        }
        scope.rows = vec![0; components.len() * scope.words];
        for (c, members) in components.iter().enumerate() {
            let mut row = vec![0u64; scope.words];
            for &m in members {
                if column[m] != u32::MAX {
                    row[column[m] as usize / 64] |= 1 << (column[m] % 64);
                }
                for &d in &imports[m] {
                    let dc = component[d] as usize;
                    if dc != c {
                        // Components come dependencies first: `dc`'s row is done.
                        for (w, bits) in row.iter_mut().zip(scope.row(dc)) {
                            *w |= bits;
                        }
                    }
                }
            }
            scope.rows[c * scope.words..(c + 1) * scope.words].copy_from_slice(&row);
            for &m in members {
                scope.component_of.entry(modules[m].to_string()).or_insert(c as u32);
            }
        }
        scope
    }

    fn row(&self, component: usize) -> &[u64] {
        &self.rows[component * self.words..(component + 1) * self.words]
    }

    /// The modules `module` sees, or `None` for a module the project does
    /// not hold (a file reviewed on its own sees everything there is).
    pub fn of(&self, module: &str) -> Option<Sight<'_>> {
        let c = *self.component_of.get(module)? as usize;
        Some(Sight {
            scope: self,
            row: self.row(c),
        })
    }

    /// The modules seen by the module that defines `name` (a name inside
    /// a module: `a.b.Class` is in module `a.b`).
    pub fn of_name(&self, name: &str) -> Option<Sight<'_>> {
        enclosing(name).skip(1).find_map(|m| self.of(m))
    }

    /// The column of the project module that defines `name` (a module, or
    /// a name inside one: `a.b.Class.method` is in module `a.b`).
    pub fn column(&self, name: &str) -> Option<u32> {
        enclosing(name).find_map(|m| self.column_of.get(m).copied())
    }
}

/// `name` and the dotted names enclosing it, longest first: `a.b.c`, `a.b`,
/// `a` (where to look for the module that defines a qualified name).
pub fn enclosing(name: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(name), |n| {
        n.as_bytes().iter().rposition(|&b| b == b'.').map(|dot| &n[..dot])
    })
}

/// One module's view of the project.
#[derive(Clone, Copy)]
pub struct Sight<'s> {
    scope: &'s Scope,
    row: &'s [u64],
}

impl Sight<'_> {
    /// Whether a project name (qualified) is in a module this one sees.
    /// Names of no imported module (the module's own when nothing imports
    /// it, or outside the project) are not the scope's to hide.
    pub fn sees(&self, name: &str) -> bool {
        match self.scope.column(name) {
            Some(c) => self.has(c),
            None => true,
        }
    }

    /// Whether this module sees the imported module in `column`.
    pub fn has(&self, column: u32) -> bool {
        self.row[column as usize / 64] & (1 << (column % 64)) != 0
    }

    /// The imported modules this one sees, by column.
    pub fn columns(&self) -> impl Iterator<Item = u32> + '_ {
        self.row.iter().enumerate().flat_map(|(w, &bits)| {
            (0..64u32)
                .filter(move |b| bits & (1 << b) != 0)
                .map(move |b| w as u32 * 64 + b)
        })
    }

    /// The column of the imported module that defines `name`.
    pub fn column_of(&self, name: &str) -> Option<u32> {
        self.scope.column(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_sees_what_it_imports_through_others_and_nothing_beside() {
        // app -> api -> db; api <-> objects (a cycle); tools -> db; app is imported by nobody.
        let modules = ["app", "api", "db", "objects", "tools", "runner"];
        let imports = vec![vec![1], vec![2, 3], vec![], vec![1], vec![2], vec![4]];
        let components = vec![vec![2], vec![1, 3], vec![0], vec![4], vec![5]];
        let imported = [false, true, true, true, true, false];
        let scope = Scope::new(&modules, &imports, &components, &imported);
        let app = scope.of("app").unwrap();
        assert!(app.sees("api.API.create") && app.sees("db") && app.sees("objects.Instance"));
        assert!(!app.sees("tools.helper"), "tools is nobody's import of app");
        let api = scope.of("objects").unwrap();
        assert!(api.sees("api.API") && api.sees("objects.x") && api.sees("db.get"));
        let db = scope.of("db").unwrap();
        assert!(db.sees("db.get") && !db.sees("api.API"));
        // Not a project module: not the scope's to hide.
        assert!(db.sees("os.path.join"));
        // What nothing imports has no column: its own names are its own.
        assert!(scope.of("runner").unwrap().sees("runner.main"));
        assert_eq!(
            scope.of("runner").unwrap().columns().count(),
            2,
            "tools, and db below it"
        );
    }
}
