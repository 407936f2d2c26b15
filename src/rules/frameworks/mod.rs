//! Web frameworks, templates, archives and loaders (Bandit's B2xx, B506,
//! B61x and B7xx).
//!
//! These checks know one library each: what its dangerous entry point is
//! called (`app.run`, `tarfile`'s `extractall`, `yaml.load`, `torch.load`,
//! Hugging Face downloaders, Jinja2's `Environment`, Mako's `Template`,
//! Django's `mark_safe`, `markupsafe.Markup`) and which argument makes it
//! safe. They reproduce Bandit's plugins case by case, including the imports
//! each plugin requires before it looks at a call ([`bandit_context`]); the
//! few places where vigil deliberately differs say so in the rule's code.
//! S613 is the exception: it reads the raw text for Trojan Source characters.

mod bandit_context;
mod django_mark_safe;
mod flask_debug_true;
mod huggingface_unsafe_download;
mod jinja2_autoescape_false;
mod mako_templates;
mod markupsafe_markup_xss;
mod pytorch_load;
mod tables;
mod tarfile_unsafe_members;
mod trojan_source;
mod yaml_load;

use super::checker::{Hook, On};
use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &flask_debug_true::RULE,
        &tarfile_unsafe_members::RULE,
        &yaml_load::RULE,
        &trojan_source::RULE,
        &pytorch_load::RULE,
        &huggingface_unsafe_download::RULE,
        &jinja2_autoescape_false::RULE,
        &mako_templates::RULE,
        &django_mark_safe::RULE,
        &markupsafe_markup_xss::RULE,
    ],
    hooks: &[
        Hook {
            rules: &[&flask_debug_true::RULE],
            on: On::Call(flask_debug_true::check),
        },
        Hook {
            rules: &[&tarfile_unsafe_members::RULE],
            on: On::Call(tarfile_unsafe_members::check),
        },
        Hook {
            rules: &[&yaml_load::RULE],
            on: On::Call(yaml_load::check),
        },
        Hook {
            rules: &[&trojan_source::RULE],
            on: On::Module(trojan_source::check),
        },
        Hook {
            rules: &[&pytorch_load::RULE],
            on: On::Call(pytorch_load::check),
        },
        Hook {
            rules: &[&huggingface_unsafe_download::RULE],
            on: On::Call(huggingface_unsafe_download::check),
        },
        Hook {
            rules: &[&jinja2_autoescape_false::RULE],
            on: On::Call(jinja2_autoescape_false::check),
        },
        Hook {
            rules: &[&mako_templates::RULE],
            on: On::Call(mako_templates::check),
        },
        Hook {
            rules: &[&django_mark_safe::RULE],
            on: On::Call(django_mark_safe::check),
        },
        Hook {
            rules: &[&markupsafe_markup_xss::RULE],
            on: On::Call(markupsafe_markup_xss::check),
        },
    ],
};
