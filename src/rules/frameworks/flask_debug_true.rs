//! S201 flask-debug-true (Bandit B201).

use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

use super::bandit_context::{keyword_is_true, qualname};

pub static RULE: Rule = Rule {
    id: "S201",
    name: "flask-debug-true",
    bandit: Some("B201"),
    bandit_name: Some("flask_debug_true"),
    family: Family::Frameworks,
    cwe: 94,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `<app>.run(debug=True)` in a module that imports Flask.",
        why: "Flask's debug mode turns on the Werkzeug interactive debugger: anyone who can reach the \
              server and trigger an exception gets a Python console in the server process (the PIN is \
              derivable from host facts), so debug mode is remote code execution as the service user.",
        example: "from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', debug=True)",
        use_instead: "from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(host='127.0.0.1', debug=CONF.debug)  # and serve production through uwsgi/mod_wsgi",
        fix: "Remove `debug=True`; take debug mode from configuration that is off in deployment.",
        references: &[
            "https://flask.palletsprojects.com/en/latest/debugging/",
            "https://werkzeug.palletsprojects.com/en/latest/debug/",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let Some(debug) = site.keyword("debug") else {
        return;
    };
    if !keyword_is_true(site, "debug") || !qualname(cx, site).ends_with(".run") || !cx.imported_like("flask") {
        return;
    }
    // Bandit reports the line of the `debug` value.
    out.push(
        Diagnostic::new(
            &RULE,
            debug.range(),
            format!(
                "`{}` runs the Flask app with the Werkzeug debugger on (`debug=True`)",
                cx.snippet(&*site.call.func)
            ),
        )
        .fix("Drop `debug=True`; read debug mode from configuration that is off in deployment."),
    );
}
