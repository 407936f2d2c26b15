//! T089 sql-injection.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T089",
    name: "sql-injection",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 89,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds SQL text built from untrusted data and run: DB-API `cursor.execute`, `sqlite3`, SQLAlchemy `text()`/`execute`, Django `raw`/`extra`/`RawSQL`.",
        why: "Quotes and keywords in the value change the query: reading other tenants' rows, bypassing filters, or modifying the database.",
        example: "cur.execute(\"SELECT * FROM instances WHERE name = '%s'\" % name)",
        use_instead: "cur.execute('SELECT * FROM instances WHERE name = ?', (name,))",
        fix: "Pass the value as a bound parameter of the query instead of formatting it into the SQL text.",
        references: &["https://owasp.org/www-community/attacks/SQL_Injection"],
    },
};
