//! S202 tarfile-unsafe-members (Bandit B202).

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

use super::bandit_context::call_name;

pub static RULE: Rule = Rule {
    id: "S202",
    name: "tarfile-unsafe-members",
    bandit: Some("B202"),
    bandit_name: Some("tarfile_unsafe_members"),
    family: Family::Frameworks,
    cwe: 22,
    severity: Level::High,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `extractall(...)` calls in a module that imports `tarfile`, unless they pass \
               `filter='data'`. Passing `members=` lowers the severity: a function that selects the \
               members is LOW, any other value MEDIUM.",
        why: "A tar archive names its own members: `../../etc/cron.d/x`, an absolute path, a symlink \
              pointing outside the target followed by a file written through it, or a device node. \
              `extractall` without a filter writes them all, so whoever supplies the archive (an \
              uploaded image, a config drive, a backup, a downloaded tarball) writes files anywhere the \
              service user can.",
        example: "with tarfile.open(image_path) as tar:\n    tar.extractall(path=staging_dir)",
        use_instead: "with tarfile.open(image_path) as tar:\n    tar.extractall(path=staging_dir, filter='data')",
        fix: "Pass `filter='data'` (Python 3.12, and security releases of 3.8+) so tarfile rejects absolute paths, `..`, links out of the target and special files.",
        references: &[
            "https://docs.python.org/3/library/tarfile.html#tarfile-extraction-filter",
            "https://peps.python.org/pep-0706/",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if !call_name(cx, site).contains("extractall") || !cx.imported_exact("tarfile") {
        return;
    }
    if site.keyword("filter").is_some_and(|f| is_data_filter(cx, f)) {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    let fix = format!(
        "Pass `filter='data'` to `{callee}` so tarfile refuses absolute paths, `..`, outside links and device files."
    );
    let diag = match site.keyword("members") {
        // Bandit reads `members=f(...)` as a filtering function. It crashes
        // (and reports nothing) when `f` is an attribute (`self._safe(tar)`);
        // vigil treats every call the same way.
        Some(members @ Expr::Call(_)) => Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` extracts the members chosen by `{}`", cx.snippet(members)),
        )
        .detail(format!(
            "Make sure `{}` discards absolute paths, `..` components, links and device files; \
             `filter='data'` does this for you.",
            cx.snippet(members)
        ))
        .severity(Level::Low)
        .confidence(Level::Low),
        Some(members) => Diagnostic::new(
            &RULE,
            site.call.range(),
            format!(
                "`{callee}` extracts `members={}` without a visible check of them",
                cx.snippet(members)
            ),
        )
        .detail("The member list is not a filtering call, so nothing here shows that paths and links were validated.")
        .severity(Level::Medium)
        .confidence(Level::Medium),
        None => match site.keyword("filter") {
            Some(filter) => Diagnostic::new(
                &RULE,
                site.call.range(),
                format!(
                    "`{callee}` extracts with `filter={}` instead of `'data'`",
                    cx.snippet(filter)
                ),
            )
            .detail(
                "Only the `data` filter also refuses links pointing out of the target, device files and unsafe modes.",
            ),
            None => Diagnostic::new(
                &RULE,
                site.call.range(),
                format!("`{callee}` extracts every archive member unchecked"),
            ),
        },
    };
    out.push(diag.fix(fix));
}

/// `filter='data'`, as Bandit accepts it, or the same filter passed as the
/// function `tarfile.data_filter` (which Bandit flags; vigil does not).
fn is_data_filter(cx: &Context, filter: &Expr) -> bool {
    match filter {
        Expr::StringLiteral(s) => s.value.to_str() == "data",
        _ => cx.qualified_name(filter).as_deref() == Some("tarfile.data_filter"),
    }
}
