//! S612 logging-config-insecure-listen (Bandit B612).

use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S612",
    name: "logging-config-insecure-listen",
    bandit: Some("B612"),
    bandit_name: Some("logging_config_insecure_listen"),
    family: Family::Injection,
    cwe: 94,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `logging.config.listen()` called without a `verify` function.",
        why: "`logging.config.listen` opens a socket that accepts a new logging configuration and applies it. \
              A configuration can name any importable class and pass it arguments (and `fileConfig` input is \
              partly `eval`ed), so whoever can connect (any local user or process, or a remote one if the port \
              is reachable) runs code inside the service.",
        example: "t = logging.config.listen(9999)",
        use_instead: "t = logging.config.listen(9999, verify=check_hmac_signature)",
        fix: "Pass `verify=` a function that authenticates the received bytes (for example an HMAC check), or configure logging from a file the service owns instead.",
        references: &["https://docs.python.org/3/library/logging.config.html#logging.config.listen"],
    },
};

pub fn check(_cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if site.qualname != "logging.config.listen" || site.keyword("verify").is_some() {
        return;
    }
    out.push(Diagnostic::new(
        &RULE,
        site.call.range(),
        format!(
            "`{}` applies any logging configuration sent to its socket (no `verify=`)",
            site.qualname
        ),
    ));
}
