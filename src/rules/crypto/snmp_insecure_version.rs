//! S508 snmp-insecure-version (Bandit B508).

use ruff_python_ast::{Expr, Number};
use ruff_text_size::Ranged;

use super::arguments::{has_double_star, has_star, positional};
use super::pysnmp::is_hlapi;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S508",
    name: "snmp-insecure-version",
    bandit: Some("B508"),
    bandit_name: Some("snmp_insecure_version_check"),
    family: Family::Crypto,
    cwe: 319,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags pysnmp `CommunityData` objects set up for SNMPv1 (`mpModel=0`) or SNMPv2c (`mpModel=1`, the \
               default).",
        why: "SNMPv1 and v2c authenticate with a community string sent in clear text with every request and \
              encrypt nothing: anyone who can see the management traffic (to a PDU, switch or BMC) learns the \
              community, reads the device's data and, with a write community, reconfigures it.",
        example: "auth = CommunityData(CONF.snmp.community, mpModel=1)",
        use_instead: "auth = UsmUserData(CONF.snmp.user, CONF.snmp.auth_key, CONF.snmp.priv_key,\n\
                      authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)",
        fix: "Use SNMPv3 with authentication and privacy: `UsmUserData(user, auth_key, priv_key, ...)`.",
        references: &["https://pysnmp.readthedocs.io/en/latest/docs/api-reference.html#security-parameters"],
    },
};

/// The position of `mpModel` in `CommunityData(communityIndex,
/// communityName, mpModel, ...)`.
const MP_MODEL_POSITION: usize = 2;

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if !is_hlapi(&site.qualname, "CommunityData") {
        return;
    }
    let argument = site
        .keyword("mpModel")
        .or_else(|| positional(site.call, MP_MODEL_POSITION));
    let (version, detail) = match argument {
        Some(Expr::NumberLiteral(n)) => match &n.value {
            Number::Int(i) if i.as_u8() == Some(0) => ("SNMPv1 (`mpModel=0`)", None),
            Number::Int(i) if i.as_u8() == Some(1) => ("SNMPv2c (`mpModel=1`)", None),
            _ => return,
        },
        Some(_) => return,
        None if has_star(site.call) || has_double_star(site.call) => return,
        // Bandit misses this case: pysnmp's `mpModel` defaults to 1, SNMPv2c.
        None => (
            "SNMPv2c (`mpModel` defaults to 1)",
            Some("`CommunityData` has no SNMPv3 mode: without `mpModel` it speaks SNMPv2c."),
        ),
    };
    let callee = cx.snippet(&*site.call.func);
    let mut diag = Diagnostic::new(&RULE, site.call.range(), format!("`{callee}` selects {version}"))
        .fix("Use SNMPv3 with authentication and privacy: `UsmUserData(user, auth_key, priv_key, ...)`");
    if let Some(detail) = detail {
        diag = diag.detail(detail);
    }
    out.push(diag);
}
