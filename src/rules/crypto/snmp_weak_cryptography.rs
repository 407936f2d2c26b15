//! S509 snmp-weak-cryptography (Bandit B509).

use ruff_text_size::Ranged;

use super::arguments::{has_double_star, has_star, positional};
use super::pysnmp::is_hlapi;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S509",
    name: "snmp-weak-cryptography",
    bandit: Some("B509"),
    bandit_name: Some("snmp_crypto_check"),
    family: Family::Crypto,
    cwe: 319,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags pysnmp `UsmUserData` objects without a privacy key, i.e. SNMPv3 in the `noAuthNoPriv` or \
               `authNoPriv` security level.",
        why: "Without a privacy key SNMPv3 encrypts nothing (and without an authentication key it does not \
              authenticate either): anyone who can see the management traffic reads every value exchanged with \
              the device, such as configuration or credentials, and under `noAuthNoPriv` can send requests as \
              the user.",
        example: "auth = UsmUserData(CONF.snmp.user, CONF.snmp.auth_key)",
        use_instead: "auth = UsmUserData(CONF.snmp.user, CONF.snmp.auth_key, CONF.snmp.priv_key)",
        fix: "Give `UsmUserData` both an authentication key and a privacy key (`authPriv`).",
        references: &["https://pysnmp.readthedocs.io/en/latest/docs/api-reference.html#security-parameters"],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if !is_hlapi(&site.qualname, "UsmUserData") {
        return;
    }
    // `UsmUserData(userName, authKey=None, privKey=None, ...)`. Bandit
    // counts positional arguments only, so it flags `privKey=` passed by
    // keyword; vigil reads the keywords, and stays silent when `*args` or
    // `**kwargs` may carry the keys.
    if has_star(site.call) || has_double_star(site.call) {
        return;
    }
    let given = |name: &str, position: usize| {
        site.keyword(name)
            .or_else(|| positional(site.call, position))
            .is_some_and(|v| !v.is_none_literal_expr())
    };
    if given("privKey", 2) {
        return;
    }
    let level = if given("authKey", 1) {
        "authentication but no encryption (authNoPriv)"
    } else {
        "neither authentication nor encryption (noAuthNoPriv)"
    };
    let callee = cx.snippet(&*site.call.func);
    out.push(
        Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` sets up SNMPv3 with {level}"),
        )
        .fix("Pass a privacy key as well: `UsmUserData(user, auth_key, priv_key, ...)`"),
    );
}
