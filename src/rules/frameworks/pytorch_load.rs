//! S614 unsafe-pytorch-load (Bandit B614).

use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

use super::bandit_context::keyword_is_true;

pub static RULE: Rule = Rule {
    id: "S614",
    name: "unsafe-pytorch-load",
    bandit: Some("B614"),
    bandit_name: Some("pytorch_load"),
    family: Family::Frameworks,
    cwe: 502,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `torch.load(...)` and `torch.serialization.load(...)` without `weights_only=True`.",
        why: "A PyTorch checkpoint is a pickle: without `weights_only=True`, loading one runs whatever \
              `__reduce__` payload it carries, so a model file from a shared store, a user upload or a \
              hub download executes code in the loading process.",
        example: "state = torch.load(checkpoint_path, map_location='cpu')",
        use_instead: "state = torch.load(checkpoint_path, map_location='cpu', weights_only=True)",
        fix: "Pass `weights_only=True`, or store the weights with `safetensors`.",
        references: &[
            "https://pytorch.org/docs/stable/generated/torch.load.html",
            "https://github.com/huggingface/safetensors",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if !matches!(site.qualname.as_str(), "torch.load" | "torch.serialization.load")
        || keyword_is_true(site, "weights_only")
    {
        return;
    }
    // Bandit needs `import torch`; `from torch import load` is caught too here.
    if !cx.imported_module_or_member("torch") {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    let diag = match site.keyword("weights_only") {
        Some(value) => Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` unpickles arbitrary objects (`weights_only={}`)", cx.snippet(value)),
        ),
        None => Diagnostic::new(&RULE, site.call.range(), format!("`{callee}` may unpickle arbitrary objects: `weights_only` is not set"))
            .detail("PyTorch before 2.6 defaults to `weights_only=False`; say `True` explicitly so safety does not depend on the installed version."),
    };
    out.push(diag.fix(format!("Pass `weights_only=True` to `{callee}`.")));
}
