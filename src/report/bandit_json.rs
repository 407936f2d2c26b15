//! Bandit's JSON report layout (`bandit -f json`), for dashboards and CI
//! steps that already read it. Findings of vigil rules with no Bandit
//! counterpart appear with vigil's id as `test_id`.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::Report;
use crate::finding::Finding;
use crate::rules::{Family, Level, Rule};

#[derive(Serialize)]
struct BanditResult<'a> {
    code: String,
    col_offset: u32,
    end_col_offset: u32,
    filename: &'a str,
    issue_confidence: &'static str,
    issue_cwe: Value,
    issue_severity: &'static str,
    issue_text: &'a str,
    line_number: u32,
    line_range: Vec<u32>,
    more_info: String,
    test_id: &'static str,
    test_name: &'static str,
}

/// Bandit lists one result per check: a finding that several rules
/// reported (see `fusion`) is one result per rule, each as that rule
/// reported it.
fn results(report: &Report) -> impl Iterator<Item = &Finding> {
    report
        .findings
        .iter()
        .flat_map(|f| std::iter::once(f).chain(f.also.iter()))
}

fn result(f: &Finding) -> BanditResult<'_> {
    let code = f.snippet.iter().map(|l| format!("{} {}\n", l.line, l.text)).collect();
    BanditResult {
        code,
        col_offset: f.col_offset,
        end_col_offset: f.end_col_offset,
        filename: &f.path,
        issue_confidence: f.confidence.as_str(),
        issue_cwe: json!({"id": f.rule.cwe, "link": f.rule.cwe_link()}),
        issue_severity: f.bandit_severity.as_str(),
        issue_text: &f.message,
        line_number: f.line,
        line_range: (f.line..=f.end_line).collect(),
        more_info: match &f.found_by_model {
            Some(model) => format!("reported by language model {model} (vigil --llm)"),
            None => super::rule_help::docs_url(f.rule),
        },
        test_id: f.rule.bandit.unwrap_or(f.rule.id),
        test_name: bandit_test_name(f.rule),
    }
}

/// Bandit reports every blacklist check (B3xx calls, B4xx imports) under
/// the one test name `blacklist`; the per-entry name is for `# nosec` only.
fn bandit_test_name(rule: &Rule) -> &'static str {
    match rule.family {
        Family::BannedCalls | Family::BannedImports if rule.bandit.is_some() => "blacklist",
        _ => rule.bandit_name.unwrap_or(rule.name),
    }
}

pub fn render(report: &Report) -> String {
    let mut totals = Map::new();
    totals.insert("loc".into(), json!(report.lines_reviewed));
    totals.insert("nosec".into(), json!(report.suppressed));
    for level in [Level::Low, Level::Medium, Level::High] {
        let severe = results(report).filter(|f| f.bandit_severity == level).count();
        totals.insert(format!("SEVERITY.{}", level.as_str()), json!(severe));
        let confident = results(report).filter(|f| f.confidence == level).count();
        totals.insert(format!("CONFIDENCE.{}", level.as_str()), json!(confident));
    }
    let doc = json!({
        "errors": report.errors.iter().map(|e| json!({"filename": e.path, "reason": e.reason})).collect::<Vec<_>>(),
        "generated_at": generated_at(),
        "metrics": {"_totals": totals},
        "results": results(report).map(result).collect::<Vec<_>>(),
    });
    // A tree of strings and numbers always serialises.
    let mut text = serde_json::to_string_pretty(&doc).expect("report serialises");
    text.push('\n');
    text
}

/// Bandit's timestamp. `SOURCE_DATE_EPOCH` fixes it, for reproducible output.
fn generated_at() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil conversion (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_415), (2025, 11, 23));
    }
}
