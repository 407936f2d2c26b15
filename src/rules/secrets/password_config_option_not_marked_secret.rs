//! S109 password-config-option-not-marked-secret (Bandit B109, retired).
//!
//! Bandit 0.10 to 1.4 had this check for OpenStack (removed in 2018 with the
//! other OpenStack-specific plugins, so Bandit 1.9.4 has no B109 findings to
//! compare with). It looked at `oslo_config.cfg.StrOpt` / `oslo.config.cfg.
//! StrOpt` calls whose first positional argument ended in `password` and
//! reported them unless `secret=True` was passed: MEDIUM confidence when
//! `secret` was missing or false, LOW when it was not a literal.
//!
//! This port keeps that design and widens it where the old check missed
//! real secrets, while staying quiet where it was wrong:
//!
//! - Option classes: every oslo.config class that can hold a secret string
//!   ([`SECRET_CAPABLE_OPTS`]), not only `StrOpt`; `BoolOpt`, `IntOpt`,
//!   `PortOpt`... cannot, and `DeprecatedOpt` has no `secret` at all.
//!   `cfg.StrOpt` also counts when `cfg` was not imported in the file (the
//!   module imports it some other way); any other `cfg` import does not.
//! - Option name: the first positional argument or `name=`, and only when
//!   it is a string literal (the old check read a variable's *name* as the
//!   option's). It looks like a password when its last `_`/`-`-separated
//!   part is one of Bandit's password words (`admin_password`, `auth_token`,
//!   `shared_secret`, `os-password`), when it ends in `password` as the old
//!   check required (`adminpassword`), or when it ends in `<word>_key` or
//!   `api_key` (`memcache_secret_key`). A password word elsewhere in the
//!   name (`password_length`, `token_expiration`, `ldap_password_attribute`)
//!   names a setting about passwords, not a secret; neither check reports it.
//! - `secret`: missing, or a false literal (`False`, `None`, `0`) is
//!   reported; any other literal or any expression (`secret=secret`) is left
//!   alone, as is a call with `**kwargs` that may carry it. The old check
//!   reported non-literal values at LOW confidence; the example that came
//!   with it set them to `True`.
//!
//! The finding is on the `secret=` value when one is given, else on the call,
//! as the old check reported it.

use ruff_text_size::Ranged;

use super::password_names::is_password_word;
use crate::python::literal::{is_falsy_constant, str_value};
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S109",
    name: "password-config-option-not-marked-secret",
    bandit: Some("B109"),
    bandit_name: Some("password_config_option_not_marked_secret"),
    family: Family::Secrets,
    // CWE-532 (Insertion of Sensitive Information into Log File) rather than
    // the broader CWE-200: the exposure is precisely oslo.config's
    // `log_opt_values`, which services call at startup to log every option
    // and its value, masking only those declared `secret=True`.
    cwe: 532,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags oslo.config options whose name says they hold a password, token or secret (`admin_password`, \
               `auth_token`, `metadata_proxy_shared_secret`), or whose help text says so when the name does not \
               (`backup_swift_key`: 'Swift key for authentication'; `sql_connection`: 'the connection string \
               used to connect to the database'), and that are not declared with `secret=True`.",
        why: "OpenStack services log their whole configuration at startup with `CONF.log_opt_values()`, and \
              oslo.config replaces a value by `****` only for options declared `secret=True`. Without it the \
              password is written in clear to the service log at DEBUG level (and to every log aggregator, \
              bug report and sos report that collects it), where anyone who can read logs can reuse it.",
        example: "ironic_opts = [\n    cfg.StrOpt('password',\n               help='Password for the Ironic service user.'),\n]",
        use_instead: "ironic_opts = [\n    cfg.StrOpt('password',\n               secret=True,\n               help='Password for the Ironic service user.'),\n]",
        fix: "Declare the option with `secret=True` so that oslo.config masks its value in logs.",
        references: &[
            "https://security.openstack.org/guidelines/dg_protect-sensitive-data-in-files.html",
            "https://docs.openstack.org/oslo.config/latest/reference/opts.html",
        ],
    },
};

/// The modules `cfg` is imported from: `oslo_config`, and the namespace
/// package `oslo.config` older services used. `cfg.` alone is `cfg` used
/// without an import in this file.
const CFG_MODULES: &[&str] = &["cfg.", "oslo.config.cfg.", "oslo_config.cfg."];

/// The oslo.config option classes whose value can be a secret string, the
/// ones this rule inspects. Sorted; to add one, insert its class name (as
/// `oslo_config.cfg` spells it) in order, one per line. Classes whose values
/// are numbers, booleans or addresses are deliberately absent.
const SECRET_CAPABLE_OPTS: &[&str] = &[
    "DictOpt",
    "ListOpt",
    "MultiOpt",
    "MultiStrOpt",
    "Opt",
    "StrOpt",
    "URIOpt",
];

/// `Opt(name, type, dest, short, default, positional, metavar, help, secret, ...)`:
/// only the base class takes `secret` positionally.
const OPT_SECRET_POSITION: usize = 8;

/// Before oslo.config was a library, each service carried a copy of it as
/// `<project>.openstack.common.cfg` (`from glance.openstack.common import cfg`).
const IN_TREE_COPY: &str = ".openstack.common.cfg.";

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    // The option class is the name's last segment: most calls are not one,
    // and this is cheaper than looking for the prefixes below.
    if SECRET_CAPABLE_OPTS.binary_search(&site.name()).is_err() {
        return;
    }
    let in_tree = || {
        let at = site.qualname.find(IN_TREE_COPY)?;
        Some(&site.qualname[at + IN_TREE_COPY.len()..])
    };
    let Some(class) = CFG_MODULES
        .iter()
        .find_map(|m| site.qualname.strip_prefix(m))
        .or_else(in_tree)
    else {
        return;
    };
    if SECRET_CAPABLE_OPTS.binary_search(&class).is_err() {
        return;
    }
    let Some(name_expr) = site.arg_or_keyword(0, "name") else {
        return;
    };
    let Some(name) = str_value(name_expr) else {
        return;
    };
    // The help text says what the value is when the name does not
    // (`backup_swift_key`: 'Swift key for authentication').
    let help = site.keyword("help").and_then(str_value);
    let by_help = !names_a_secret(&name) && help.as_deref().is_some_and(help_says_secret);
    if !names_a_secret(&name) && !by_help {
        return;
    }
    let secret = match class {
        "Opt" => site.arg_or_keyword(OPT_SECRET_POSITION, "secret"),
        _ => site.keyword("secret"),
    };
    let option = format!("{}({}, ...)", cx.source(&*site.call.func), cx.snippet(name_expr));
    let why = match (&help, by_help) {
        (Some(help), true) => format!(
            "The name does not say so, but the help text does: \"{help}\". oslo.config logs the value of every \
             option not declared `secret=True` when the service starts."
        ),
        _ => {
            "oslo.config logs the value of every option not declared `secret=True` when the service starts.".to_string()
        }
    };
    match secret {
        None => {
            // `**kwargs` may carry `secret=True`.
            if site.call.arguments.keywords.iter().any(|kw| kw.arg.is_none()) {
                return;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    site.call.range(),
                    format!("oslo.config option `{name}` is not declared `secret=True`"),
                )
                .detail(why)
                .fix(format!("Add `secret=True` to `{option}`.")),
            );
        }
        Some(value) if is_falsy_constant(value) => {
            out.push(
                Diagnostic::new(
                    &RULE,
                    value.range(),
                    format!("oslo.config option `{name}` is declared `secret={}`", cx.snippet(value)),
                )
                .detail(why)
                .fix(format!("Set `secret=True` on `{option}`.")),
            );
        }
        Some(_) => {}
    }
}

/// Words of an option's help text that say its value is a secret, or a
/// string that embeds one (a database URL carries the database password).
/// Sorted.
const SECRET_HELP: &[&str] = &[
    "access key",
    "api key",
    "auth key",
    "authentication key",
    "connection string",
    "encryption key",
    "key for auth",
    "passphrase",
    "password",
    "secret key",
    "transport url",
];

/// Words of a help text that say the option is about a secret, not the
/// secret itself (a file holding it, its length, whether to use one).
/// Sorted.
const NOT_THE_SECRET: &[&str] = &[
    "algorithm",
    "directory",
    "disable",
    "enable",
    "expir",
    "file",
    "format",
    "header",
    "length",
    "list",
    "name of",
    "names",
    "number of",
    "path",
    "policy",
    "rotat",
    "scheme",
    "timeout",
    "user name",
    "username",
    "uuid",
    "whether",
];

/// Whether an option's help text says its value is a secret.
fn help_says_secret(help: &str) -> bool {
    let lower = help.to_ascii_lowercase();
    SECRET_HELP.iter().any(|w| lower.contains(w)) && !NOT_THE_SECRET.iter().any(|w| lower.contains(w))
}

/// Whether an option name says its value is a secret (see the module doc).
fn names_a_secret(name: &str) -> bool {
    let normalized = name.to_ascii_lowercase().replace('-', "_");
    if normalized.ends_with("password") {
        return true;
    }
    let mut parts = normalized.rsplit('_');
    let last = parts.next().unwrap_or("");
    if is_password_word(last) {
        return true;
    }
    let before = parts.next().unwrap_or("");
    last == "key" && (before == "api" || is_password_word(before))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_capable_opts_are_sorted() {
        assert!(SECRET_CAPABLE_OPTS.windows(2).all(|w| w[0] < w[1]));
        assert!(SECRET_HELP.windows(2).all(|w| w[0] < w[1]));
        assert!(NOT_THE_SECRET.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn help_texts() {
        assert!(help_says_secret("Swift key for authentication"));
        assert!(help_says_secret(
            "The SQLAlchemy connection string used to connect to the database"
        ));
        assert!(!help_says_secret("Path to the file holding the private key"));
        assert!(!help_says_secret("Minimum password length"));
        assert!(!help_says_secret("The user name of the backend"));
    }

    #[test]
    fn secret_names() {
        for name in [
            "password",
            "admin_password",
            "os-password",
            "adminpassword",
            "auth_token",
            "metadata_proxy_shared_secret",
            "memcache_secret_key",
            "api_key",
            "ca_private_key_passphrase",
            "db_pass",
            "keystone_pwd",
        ] {
            assert!(names_a_secret(name), "{name}");
        }
        for name in [
            "password_length",
            "token_expiration",
            "ldap_password_attribute",
            "user",
            "ca_private_key",
            "ssh_public_key",
            "key_file",
            "bypass",
            "token_provider",
        ] {
            assert!(!names_a_secret(name), "{name}");
        }
    }
}
