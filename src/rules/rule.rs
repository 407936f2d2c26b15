//! What a rule is: metadata, documentation and the hook that runs it.
//!
//! Every field of [`Rule`] and [`Docs`] is required, so a rule without a CWE,
//! a confidence or a section of its documentation does not build.

use std::fmt;

use super::checker::Hook;

/// Severity and confidence share Bandit's three levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Low,
    Medium,
    High,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "LOW",
            Level::Medium => "MEDIUM",
            Level::High => "HIGH",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text.to_ascii_lowercase().as_str() {
            "low" => Some(Level::Low),
            "medium" => Some(Level::Medium),
            "high" => Some(Level::High),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rule families, one folder each under `rules/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// Checks that need no context beyond one statement (Bandit's B1xx).
    General,
    /// Hard-coded passwords and secrets (B105–B107, B109).
    Secrets,
    /// Calls to functions that are unsafe whatever their arguments (B3xx).
    BannedCalls,
    /// Imports of unsafe modules (B4xx).
    BannedImports,
    /// Cryptography, TLS and transport security (B324, B5xx).
    Crypto,
    /// Command, SQL and code injection (B6xx).
    Injection,
    /// Web frameworks, templates, archives and loaders (B2xx, B506, B61x, B7xx).
    Frameworks,
    /// Untrusted data reaching a dangerous sink, found by dataflow (T-ids).
    Taint,
    /// Races: check-then-use, unlocked shared state, lock misuse, lost events (R1xx).
    Races,
    /// Resources not released on every path (R2xx).
    Leaks,
    /// Crashes and denial of service from input (R3xx).
    DenialOfService,
    /// Information exposure: secrets and internals to logs, users, files (R4xx).
    Exposure,
    /// Permissions and temporary files (R5xx).
    Permissions,
    /// Missing input validation in API handlers (R6xx).
    Validation,
    /// Host operations on untrusted disk images (R7xx).
    Images,
    /// Authorization and tenant isolation in API handlers (R8xx).
    Authorization,
    /// Defects a language model reported (`--llm` discovery, L ids): not
    /// rules of the analysis, never in the registry.
    Model,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::General => "general",
            Family::Secrets => "secrets",
            Family::BannedCalls => "banned-calls",
            Family::BannedImports => "banned-imports",
            Family::Crypto => "crypto",
            Family::Injection => "injection",
            Family::Frameworks => "frameworks",
            Family::Taint => "taint",
            Family::Races => "races",
            Family::Leaks => "leaks",
            Family::DenialOfService => "denial-of-service",
            Family::Exposure => "exposure",
            Family::Permissions => "permissions",
            Family::Validation => "validation",
            Family::Images => "images",
            Family::Authorization => "authorization",
            Family::Model => "language-model",
        }
    }
}

/// Whether a rule is on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// On by default.
    Stable,
    /// Off unless selected: too noisy or too new to be on for everyone.
    Opt,
}

/// The documentation of a rule, written for a Nova core reviewer. The review
/// prints `why` as the description of a finding and `fix` as its solution
/// unless the check has something more specific to say.
#[derive(Debug, Clone, Copy)]
pub struct Docs {
    /// What it does: one or two sentences.
    pub what: &'static str,
    /// Why is this bad? How the defect is exploited.
    pub why: &'static str,
    /// Example of code that is flagged.
    pub example: &'static str,
    /// Use instead: the safe version of the example.
    pub use_instead: &'static str,
    /// The solution in one imperative sentence, printed with each finding.
    pub fix: &'static str,
    /// Further references beyond the CWE (may be empty).
    pub references: &'static [&'static str],
}

/// A rule's identity, classification and documentation.
#[derive(Debug)]
pub struct Rule {
    /// vigil's id, e.g. `S602`.
    pub id: &'static str,
    /// A kebab-case name after the bad pattern.
    pub name: &'static str,
    /// The Bandit test id this rule reproduces, if any.
    pub bandit: Option<&'static str>,
    /// The Bandit test name, used by `# nosec test_name` and the Bandit report.
    pub bandit_name: Option<&'static str>,
    pub family: Family,
    pub cwe: u32,
    pub severity: Level,
    pub confidence: Level,
    pub status: Status,
    /// The vigil version that introduced the rule.
    pub since: &'static str,
    pub docs: Docs,
}

impl Rule {
    /// Every name a user may select or suppress the rule by.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names = vec![self.id, self.name];
        names.extend(self.bandit);
        names.extend(self.bandit_name);
        names
    }

    pub fn cwe_link(&self) -> String {
        format!("https://cwe.mitre.org/data/definitions/{}.html", self.cwe)
    }
}

/// A family's rules and the hooks that run them.
pub struct FamilyRules {
    pub rules: &'static [&'static Rule],
    pub hooks: &'static [Hook],
}
