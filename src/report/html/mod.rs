//! `--format html`: one self-contained page for an audit of a whole tree, as
//! Bandit's `-f html` gives, to open in a browser or attach to a ticket.
//!
//! The page has a summary (counts by severity, by rule and by folder), the
//! findings grouped by file, each with the source around it (the offending
//! range marked, every step of its path numbered in the code), what could
//! not be reviewed, and the documentation of every rule that reported.
//! Filters by severity, rule and path run in the page's own script, so they
//! work from a file with no server.
//!
//! Self-contained: the CSS and the script are inline, there are no fonts,
//! images or fetches, and a Content-Security-Policy forbids any (the only
//! URLs are plain links to CWE entries). Everything from the analysed code
//! is escaped by construction (`markup`), and nothing from it enters the
//! style or the script. The output is deterministic (no time stamps).
//!
//! Neighbours: renders from [`Report`] like every format; quotes the
//! source from [`Finding::context`]; shares the summary and the rule line
//! with the text review (`review_text`).

mod markup;

use std::collections::BTreeMap;

use self::markup::Markup;
use super::{Report, review_text};
use crate::finding::{Finding, SnippetLine};
use crate::rules::{Level, Rule};

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Folders deeper than this are counted in their ancestor's row.
const FOLDER_DEPTH: usize = 3;

/// The page's policy: nothing is fetched, whatever the page contains.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; \
                   img-src data:; base-uri 'none'; form-action 'none'";

const LEVELS: [Level; 3] = [Level::High, Level::Medium, Level::Low];

pub fn render(report: &Report) -> String {
    let mut m = Markup::default();
    m.markup("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .markup("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .markup(CSP)
        .markup("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .markup("<title>vigil security review</title>\n<style>\n")
        .markup(STYLE)
        .markup("</style>\n</head>\n<body>\n<header class=\"top\">\n<h1>vigil security review</h1>\n");
    m.element("p", &[("class", "summary")], &review_text::summary(report))
        .markup("\n");
    scope(&mut m, report);
    m.markup("</header>\n");
    if !report.findings.is_empty() {
        overview(&mut m, report);
        filters(&mut m, report);
        files(&mut m, report);
    }
    problems(&mut m, report);
    rule_docs(&mut m, report);
    m.markup("<footer>")
        .text(&format!("vigil {}", env!("CARGO_PKG_VERSION")))
        .markup("</footer>\n<script>\n")
        .markup(SCRIPT)
        .markup("</script>\n</body>\n</html>\n");
    m.finish()
}

/// What the review covered and what it left out.
fn scope(m: &mut Markup, report: &Report) {
    let mut parts = vec![
        plural(report.files_reviewed, "file", "files") + " reviewed",
        plural(report.lines_reviewed, "line", "lines") + " of code",
    ];
    if report.suppressed > 0 {
        parts.push(plural(report.suppressed, "finding", "findings") + " hidden by suppression comments");
    }
    if report.baselined > 0 {
        parts.push(plural(report.baselined, "finding", "findings") + " accepted by the baseline");
    }
    if report.proven_constant > 0 {
        parts.push(
            plural(report.proven_constant, "pattern finding", "pattern findings")
                + " on sinks only constants reach left out",
        );
    }
    m.element("p", &[("class", "scope")], &(parts.join(" · ") + "."))
        .markup("\n");
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        crate::report::thousands(n as u64),
        if n == 1 { one } else { many }
    )
}

/// Counts by severity, rule and folder. Each row is also a filter.
fn overview(m: &mut Markup, report: &Report) {
    m.markup("<section id=\"overview\">\n<div class=\"cards\">\n");
    for level in LEVELS {
        let class = level_class(level);
        m.open(
            "button",
            &[
                ("type", "button"),
                ("class", &format!("card {class}")),
                ("data-severity", level.as_str()),
                ("title", "show only this severity"),
            ],
        )
        .element("span", &[("class", "n")], &report.count(level).to_string())
        .element("span", &[("class", "label")], level.as_str())
        .close("button")
        .markup("\n");
    }
    m.markup("</div>\n<div class=\"tables\">\n");

    // A defect several rules saw (see `fusion`) counts under each of them,
    // as the rule filter finds it under each.
    let mut by_rule: BTreeMap<&str, (&Rule, [usize; 3])> = BTreeMap::new();
    for f in &report.findings {
        for rule in f.rules() {
            by_rule.entry(rule.id).or_insert((rule, [0; 3])).1[level_index(f.severity)] += 1;
        }
    }
    m.markup("<table id=\"by-rule\">\n<caption>Findings by rule</caption>\n")
        .markup("<thead><tr><th>Rule</th><th>Name</th><th>CWE</th><th>High</th><th>Medium</th><th>Low</th></tr></thead>\n<tbody>\n");
    for (id, (rule, counts)) in &by_rule {
        m.markup("<tr><td>")
            .open(
                "button",
                &[
                    ("type", "button"),
                    ("class", "link"),
                    ("data-rule", id),
                    ("title", "show only this rule"),
                ],
            )
            .text(id)
            .close("button")
            .markup("</td><td>")
            .open("a", &[("href", &format!("#rule-{id}"))])
            .text(rule.name)
            .close("a")
            .markup("</td>")
            .element("td", &[], &format!("CWE-{}", rule.cwe));
        count_cells(m, counts);
        m.markup("</tr>\n");
    }
    m.markup("</tbody>\n</table>\n");

    let by_folder = folder_counts(&report.findings);
    m.markup("<table id=\"by-folder\">\n<caption>Findings by folder</caption>\n")
        .markup("<thead><tr><th>Folder</th><th>High</th><th>Medium</th><th>Low</th></tr></thead>\n<tbody>\n");
    for (folder, (depth, counts)) in &by_folder {
        let filter = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        m.markup("<tr><td>")
            .open(
                "button",
                &[
                    ("type", "button"),
                    ("class", &format!("link depth{depth}")),
                    ("data-path", &filter),
                    ("title", "show only this folder"),
                ],
            )
            .text(if folder.is_empty() { "(top level)" } else { folder })
            .close("button")
            .markup("</td>");
        count_cells(m, counts);
        m.markup("</tr>\n");
    }
    m.markup("</tbody>\n</table>\n</div>\n</section>\n");
}

fn count_cells(m: &mut Markup, counts: &[usize; 3]) {
    for n in counts {
        if *n == 0 {
            m.markup("<td class=\"num zero\">0</td>");
        } else {
            m.open("td", &[("class", "num")]).number(*n as u64).close("td");
        }
    }
}

/// Each folder holding findings, down to [`FOLDER_DEPTH`], with the counts
/// of everything below it; `""` is the top level (files named at the root).
fn folder_counts(findings: &[Finding]) -> BTreeMap<String, (usize, [usize; 3])> {
    let mut folders: BTreeMap<String, (usize, [usize; 3])> = BTreeMap::new();
    for f in findings {
        let parts: Vec<&str> = f.path.split('/').collect();
        let dirs = &parts[..parts.len().saturating_sub(1)];
        let level = level_index(f.severity);
        if dirs.iter().all(|d| d.is_empty()) {
            folders.entry(String::new()).or_insert((0, [0; 3])).1[level] += 1;
            continue;
        }
        // An absolute path's empty first part is the root, not a folder.
        let named = dirs.iter().filter(|d| !d.is_empty()).count();
        let skip = dirs.len() - named;
        for depth in 1..=named.min(FOLDER_DEPTH) {
            let folder = dirs[..skip + depth].join("/");
            folders.entry(folder).or_insert((depth, [0; 3])).1[level] += 1;
        }
    }
    folders
}

fn level_index(level: Level) -> usize {
    match level {
        Level::High => 0,
        Level::Medium => 1,
        Level::Low => 2,
    }
}

fn level_class(level: Level) -> &'static str {
    match level {
        Level::High => "high",
        Level::Medium => "medium",
        Level::Low => "low",
    }
}

/// The filter bar: severity boxes, a rule menu and a path field.
fn filters(m: &mut Markup, report: &Report) {
    m.markup("<form id=\"filters\" role=\"search\">\n<fieldset><legend>Severity</legend>");
    for level in LEVELS {
        m.markup("<label>")
            .open(
                "input",
                &[
                    ("type", "checkbox"),
                    ("name", "severity"),
                    ("value", level.as_str()),
                    ("checked", "checked"),
                ],
            )
            .text(&format!(" {}", level.as_str()))
            .markup("</label>");
    }
    m.markup("</fieldset>\n<label>Rule <select id=\"rule-filter\"><option value=\"\">all rules</option>");
    let mut rules: BTreeMap<&str, &Rule> = BTreeMap::new();
    for f in &report.findings {
        for rule in f.rules() {
            rules.insert(rule.id, rule);
        }
    }
    for (id, rule) in rules {
        m.open("option", &[("value", id)])
            .text(&format!("{id} {}", rule.name))
            .close("option");
    }
    m.markup("</select></label>\n")
        .markup("<label>Path <input type=\"search\" id=\"path-filter\" placeholder=\"part of a path\" autocomplete=\"off\"></label>\n")
        .markup("<button type=\"button\" id=\"reset\">Show all</button>\n")
        .open("output", &[("id", "shown"), ("aria-live", "polite")])
        .text(&format!(
            "{} of {} shown",
            report.findings.len(),
            report.findings.len()
        ))
        .close("output")
        .markup("\n</form>\n");
}

/// The findings, grouped by file (the report is sorted by path, then line).
fn files(m: &mut Markup, report: &Report) {
    m.markup("<main id=\"files\">\n");
    let mut index = 0;
    let mut rest = report.findings.as_slice();
    while let Some(first) = rest.first() {
        let n = rest.iter().take_while(|f| f.path == first.path).count();
        let (group, tail) = rest.split_at(n);
        m.open("section", &[("class", "file"), ("data-path", &first.path)])
            .markup("<h2>")
            .element("span", &[("class", "path")], &first.path)
            .element("span", &[("class", "count")], &plural(n, "finding", "findings"))
            .markup("</h2>\n");
        for f in group {
            index += 1;
            finding(m, f, index);
        }
        m.markup("</section>\n");
        rest = tail;
    }
    m.markup("</main>\n");
}

fn finding(m: &mut Markup, f: &Finding, index: usize) {
    let id = format!("f{index}");
    let rules: Vec<&str> = f.rules().map(|r| r.id).collect();
    m.open(
        "article",
        &[
            ("class", &format!("finding {}", level_class(f.severity))),
            ("id", &id),
            ("data-severity", f.severity.as_str()),
            ("data-rules", &rules.join(" ")),
            ("data-path", &f.path),
        ],
    )
    .markup("<header>")
    .element("span", &[("class", "sev")], f.severity.as_str())
    .open("a", &[("class", "loc"), ("href", &format!("#{id}"))])
    .text(&format!("{}:{}:{}", f.path, f.line, f.column))
    .close("a")
    .open("a", &[("class", "rule"), ("href", &format!("#rule-{}", f.rule.id))])
    .text(f.rule.id)
    .close("a")
    .markup("<span class=\"message\">")
    .prose(&f.message)
    .markup("</span></header>\n");
    m.element("p", &[("class", "ruleline")], &review_text::rule_line(f))
        .markup("\n");
    code(m, f, &id);
    m.markup("<div class=\"explain\">");
    let defect = f.detail.as_deref().unwrap_or(f.rule.docs.why);
    m.markup("<p><b>Defect:</b> ").prose(defect).markup("</p>");
    if !f.steps.is_empty() {
        m.markup("<p><b>Path:</b></p><ol class=\"steps\">");
        for s in &f.steps {
            m.markup("<li>")
                .open("a", &[("href", &format!("#{id}-L{}", s.line))])
                .text(&format!("line {}", s.line))
                .close("a")
                .text(": ")
                .prose(&s.note)
                .markup("</li>");
        }
        m.markup("</ol>");
    }
    m.markup("<p><b>Solution:</b> ").prose(&f.solution).markup("</p>");
    // The optional language-model stage: its verdict on this finding, or
    // that the model, not a rule, reported it.
    for note in [super::llm_text::origin(f), super::llm_text::triage(f)]
        .into_iter()
        .flatten()
    {
        m.markup("<p class=\"model\">").prose(&note).markup("</p>");
    }
    if let Some(edit) = &f.edit {
        m.markup("<p><b>Mechanical fix:</b> ");
        // The text replaced, when it is on one quoted line.
        let old = (edit.line == edit.end_line)
            .then(|| f.context.iter().find(|l| l.line == edit.line))
            .flatten()
            .map(|l| {
                let from = edit.column.saturating_sub(1) as usize;
                let to = edit.end_column.saturating_sub(1) as usize;
                l.text
                    .chars()
                    .skip(from)
                    .take(to.saturating_sub(from))
                    .collect::<String>()
            });
        match old {
            Some(old) => {
                m.text(&format!("on line {}, replace ", edit.line))
                    .element("code", &[], &old);
            }
            None => {
                m.text(&format!(
                    "replace from line {} column {} to line {} column {}",
                    edit.line, edit.column, edit.end_line, edit.end_column
                ));
            }
        }
        m.text(" with ").element("code", &[], &edit.replacement).markup("</p>");
    }
    m.markup("</div>\n</article>\n");
}

/// The source around the finding: its range marked, each step of its path
/// numbered where it happens, a gap where lines are left out.
fn code(m: &mut Markup, f: &Finding, id: &str) {
    let lines: &[SnippetLine] = if f.context.is_empty() { &f.snippet } else { &f.context };
    if lines.is_empty() {
        return;
    }
    m.markup("<pre class=\"code\"><code>");
    let mut previous: Option<u32> = None;
    for line in lines {
        if previous.is_some_and(|p| line.line > p + 1) {
            m.markup("<span class=\"line gap\"><span class=\"ln\">⋮</span>\n</span>");
        }
        previous = Some(line.line);
        let in_range = line.line >= f.line && line.line <= f.end_line;
        let steps: Vec<(usize, u32)> = f
            .steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.line == line.line)
            .map(|(i, s)| (i + 1, s.column))
            .collect();
        let class = match (in_range, steps.is_empty()) {
            (true, _) => "line defect",
            (false, false) => "line step",
            (false, true) => "line",
        };
        m.open("span", &[("class", class), ("id", &format!("{id}-L{}", line.line))])
            .element("span", &[("class", "ln")], &line.line.to_string());
        let chars: Vec<char> = line.text.chars().collect();
        let mark = in_range.then(|| {
            let start = if line.line == f.line { f.column as usize - 1 } else { 0 };
            let end = if line.line == f.end_line {
                f.end_column as usize - 1
            } else {
                chars.len()
            };
            (start.min(chars.len()), end.min(chars.len()).max(start.min(chars.len())))
        });
        for i in 0..=chars.len() {
            if mark.is_some_and(|(s, e)| i == e && s < e) {
                m.markup("</mark>");
            }
            for (n, column) in &steps {
                let at = (*column as usize).saturating_sub(1).min(chars.len());
                if at == i {
                    m.open("span", &[("class", "stepno"), ("title", &format!("step {n}"))])
                        .number(*n as u64)
                        .close("span");
                }
            }
            if mark.is_some_and(|(s, e)| i == s && s < e) {
                m.markup("<mark>");
            }
            if let Some(&c) = chars.get(i) {
                m.code_char(c);
            }
        }
        m.markup("\n</span>");
    }
    m.markup("</code></pre>\n");
}

/// What could not be reviewed, and what was reviewed with a warning.
fn problems(m: &mut Markup, report: &Report) {
    if report.errors.is_empty() && report.warnings.is_empty() {
        return;
    }
    m.markup("<section id=\"problems\">\n");
    if !report.errors.is_empty() {
        m.markup("<h2>Not reviewed</h2>\n<ul class=\"errors\">");
        for e in &report.errors {
            m.markup("<li>")
                .element("span", &[("class", "path")], &e.path)
                .text(&format!(": {}", e.reason))
                .markup("</li>");
        }
        m.markup("</ul>\n");
    }
    if !report.warnings.is_empty() {
        m.markup("<details><summary>")
            .text(&plural(report.warnings.len(), "warning", "warnings"))
            .markup("</summary><ul class=\"warnings\">");
        for w in &report.warnings {
            m.markup("<li>")
                .element("span", &[("class", "path")], &format!("{}:{}", w.path, w.line))
                .text(": ")
                .prose(&w.message)
                .markup("</li>");
        }
        m.markup("</ul></details>\n");
    }
    m.markup("</section>\n");
}

/// The documentation of each rule that reported, once.
fn rule_docs(m: &mut Markup, report: &Report) {
    let mut rules: BTreeMap<&str, &Rule> = BTreeMap::new();
    for f in &report.findings {
        for rule in f.rules() {
            rules.insert(rule.id, rule);
        }
    }
    if rules.is_empty() {
        return;
    }
    m.markup("<section id=\"rules\">\n<h2>Rules</h2>\n");
    for (id, rule) in rules {
        let d = &rule.docs;
        m.open("details", &[("id", &format!("rule-{id}"))])
            .markup("<summary>")
            .element("b", &[], id)
            .text(&format!(" {}", rule.name))
            .markup("</summary>")
            .open("p", &[("class", "ruleline")])
            .text(&format!(
                "{} · severity {} · confidence {}{} · ",
                rule.family.as_str(),
                rule.severity,
                rule.confidence,
                rule.bandit.map(|b| format!(" · Bandit {b}")).unwrap_or_default()
            ))
            // The one kind of link the page has: a plain anchor to the
            // CWE entry, followed only if the reader clicks it.
            .open("a", &[("href", &rule.cwe_link()), ("rel", "noreferrer")])
            .text(&format!("CWE-{}", rule.cwe))
            .close("a")
            .markup("</p>")
            .markup("<h3>What it does</h3><p>")
            .prose(d.what)
            .markup("</p><h3>Why is this bad?</h3><p>")
            .prose(d.why)
            .markup("</p><h3>Example</h3>")
            .element("pre", &[], d.example.trim_end())
            .markup("<h3>Use instead</h3>")
            .element("pre", &[], d.use_instead.trim_end());
        if !d.references.is_empty() {
            m.markup("<h3>References</h3><ul>");
            for r in d.references {
                m.element("li", &[], r);
            }
            m.markup("</ul>");
        }
        m.markup("</details>\n");
    }
    m.markup("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::folder_counts;
    use crate::finding::Finding;
    use crate::rules::{Level, registry};

    fn at(path: &str, severity: Level) -> Finding {
        let rule = registry::all()[0];
        Finding {
            path: path.into(),
            line: 1,
            end_line: 1,
            column: 1,
            end_column: 2,
            rule,
            severity,
            bandit_severity: severity,
            confidence: Level::High,
            message: String::new(),
            description: String::new(),
            detail: None,
            solution: String::new(),
            snippet: Vec::new(),
            context: Vec::new(),
            steps: Vec::new(),
            edit: None,
            fingerprint: String::new(),
            also: Vec::new(),
            only_constants: false,
            col_offset: 0,
            end_col_offset: 0,
            suppression_lines: (1, 1),
            triage: None,
            found_by_model: None,
        }
    }

    #[test]
    fn folders_count_what_is_below_them() {
        let findings = [
            at("setup.py", Level::Low),
            at("nova/a.py", Level::High),
            at("nova/virt/libvirt/driver/x/deep.py", Level::Medium),
            at("/abs/b.py", Level::High),
        ];
        let rows: Vec<(String, usize, [usize; 3])> = folder_counts(&findings)
            .into_iter()
            .map(|(k, (d, c))| (k, d, c))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("".to_string(), 0, [0, 0, 1]),
                ("/abs".to_string(), 1, [1, 0, 0]),
                ("nova".to_string(), 1, [1, 1, 0]),
                ("nova/virt".to_string(), 2, [0, 1, 0]),
                ("nova/virt/libvirt".to_string(), 3, [0, 1, 0]),
            ]
        );
    }
}
