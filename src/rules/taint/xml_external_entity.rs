//! T611 xml-external-entity.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T611",
    name: "xml-external-entity",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 611,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds untrusted XML (a request body, image metadata) parsed with external entities enabled (a SAX \
               parser with `feature_external_ges`, lxml without a hardened parser). XML a serializer wrote (a \
               libvirt domain's `XMLDesc()`/`get_xml_desc()`, `etree.tostring()`) is not reported, whatever data \
               went into it: a serializer writes no DOCTYPE and escapes text, so no entity can be declared in it.",
        why: "An entity that names `file:///etc/shadow` or an internal URL makes the parser read it into the document: file disclosure and server-side requests.",
        example: "parser = xml.sax.make_parser()\nparser.setFeature(feature_external_ges, True)\ndoc = minidom.parseString(body, parser)",
        use_instead: "doc = defusedxml.minidom.parseString(body)",
        fix: "Parse untrusted XML with `defusedxml`, or leave external entities disabled.",
        references: &["https://owasp.org/www-community/vulnerabilities/XML_External_Entity_(XXE)_Processing"],
    },
};
