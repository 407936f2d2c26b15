//! R701 image-safety-check-incomplete: a function that inspects or converts
//! a disk image refuses some of the features that make qemu-img open host
//! files (a backing file, a qcow2 data file, VMDK extents) but not the
//! others, or converts an image it inspected without refusing any.

use ruff_python_ast::Stmt;
use ruff_text_size::Ranged;

use super::image_apis::Feature;
use super::image_work::{ImageWork, scan};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R701",
    name: "image-safety-check-incomplete",
    bandit: None,
    bandit_name: None,
    family: Family::Images,
    cwe: 610,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a function that inspects a disk image (`qemu-img info`, a `qemu_img_info` helper, \
               `QemuImgInfo`) or converts one, and refuses some of the image features that make qemu-img open \
               other files, but not all of them: a backing file, a qcow2 external data file \
               (`format-specific.data.data-file`), a VMDK whose descriptor names extents (its `create-type`). \
               Also flags a function that runs `qemu-img info` itself and then converts the image with no such \
               refusal at all. A refusal is a test about the feature whose branch raises, or a call that does \
               the checks: oslo.utils' format inspector (`safety_check()`), cinder's `check_qcow2_image`, \
               `check_vmdk_image` and `get_format_if_safe`, glance's `_inspect_path`, or a function of the same \
               module that does such tests.",
        why: "Each feature is a way for an image to name a host file: qemu-img then reads it (a backing file, \
              VMDK extents) or writes it (a data file) while converting, resizing or inspecting the image, as \
              root on the service's host, and the service hands the result to the user. Refusing one and not \
              the others is how the advisories came one after the other: backing files were refused in 2014, \
              VMDK extents in 2023 (OSSA-2023-002), qcow2 data files in 2024 (OSSA-2024-001). The check a \
              reviewer asks for is the format inspector's, which knows them all and is updated with them.",
        example: "metadata = json.loads(stdout)\nif metadata.get('backing-filename') is not None:\n    raise RuntimeError('backing file')\nreturn path",
        use_instead: "inspector = format_inspector.detect_file_format(path)\ninspector.safety_check()  # backing file, data-file, VMDK extents, ...\nif str(inspector) != claimed_format:\n    raise RuntimeError('format mismatch')",
        fix: "Run oslo.utils' format inspector on the file before qemu-img touches it \
              (`format_inspector.detect_file_format(path).safety_check()`), or refuse every feature the other \
              checks miss.",
        references: &[
            "https://security.openstack.org/ossa/OSSA-2024-001.html",
            "https://security.openstack.org/ossa/OSSA-2023-002.html",
            "https://docs.openstack.org/oslo.utils/latest/reference/imageutils.html",
            "https://cwe.mitre.org/data/definitions/610.html",
        ],
    },
};

pub fn check(cx: &Context, name: &str, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    let work = scan(cx, body);
    if work.inspections.is_empty() && work.conversions.is_empty() {
        return;
    }
    let missing: Vec<Feature> = Feature::ALL.into_iter().filter(|f| !work.checks(*f)).collect();
    if missing.is_empty() {
        return;
    }
    match work.checks.first() {
        Some(first) => partial(cx, name, &work, first.at, &missing, out),
        None => unchecked_conversion(cx, name, &work, out),
    }
}

/// Some features refused, others not.
fn partial(
    cx: &Context,
    name: &str,
    work: &ImageWork,
    at: ruff_text_size::TextRange,
    missing: &[Feature],
    out: &mut Vec<Diagnostic>,
) {
    let refused: Vec<Feature> = Feature::ALL.into_iter().filter(|f| work.checks(*f)).collect();
    let list = |fs: &[Feature]| join(&fs.iter().map(|f| f.described()).collect::<Vec<_>>());
    let mut diag = Diagnostic::new(
        &RULE,
        at,
        format!(
            "`{name}` refuses an image with {} but not one with {}",
            list(&refused),
            list(missing)
        ),
    )
    .detail(format!(
        "{} An image that uses {} instead passes, and qemu-img opens the file it names.",
        work.checks
            .iter()
            .map(|c| match &c.by {
                Some(by) => format!("Line {} (`{by}`) refuses {}.", cx.line_of(&c.at), c.feature.described()),
                None => format!("Line {} refuses {}.", cx.line_of(&c.at), c.feature.described()),
            })
            .collect::<Vec<_>>()
            .join(" "),
        list(missing)
    ))
    .fix(format!(
        "Run the format inspector on the file before qemu-img reads it \
         (`format_inspector.detect_file_format(path).safety_check()`), or refuse {} here as line {} refuses {}.",
        list(missing),
        cx.line_of(&at),
        refused.first().map_or("the others", |f| f.described())
    ));
    for c in &work.checks {
        diag = diag.step(c.at, format!("refuses {}", c.feature.described()));
    }
    out.push(diag);
}

/// `qemu-img info` run here, then a conversion, and nothing refused.
fn unchecked_conversion(cx: &Context, name: &str, work: &ImageWork, out: &mut Vec<Diagnostic>) {
    let Some(inspection) = work.inspections.iter().find(|i| i.direct) else {
        return;
    };
    let Some(conversion) = work
        .conversions
        .iter()
        .find(|c| c.range().start() > inspection.call.range().end())
    else {
        return;
    };
    out.push(
        Diagnostic::new(
            &RULE,
            conversion.range(),
            format!(
                "`{name}` converts an image it inspected on line {} without refusing a backing file, a data file or VMDK extents",
                cx.line_of(inspection.call)
            ),
        )
        .detail(format!(
            "Line {} reads what the image says it is; nothing between it and line {} refuses an image that names \
             another file, so `{}` opens whatever the image names.",
            cx.line_of(inspection.call),
            cx.line_of(*conversion),
            cx.snippet(&*conversion.func)
        ))
        .fix(
            "Before converting, run the format inspector on the file \
             (`format_inspector.detect_file_format(path).safety_check()`) and check that the format it detects \
             is the one the image was registered with.",
        )
        .step(inspection.call.range(), "inspects the image")
        .step(conversion.range(), "converts it with nothing refused"),
    );
}

fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
