//! The `images` family (R7xx): host operations on disk images a user
//! uploaded or a guest wrote to. qemu-img trusts what an image says it is;
//! these rules look for the checks a reviewer of cinder or glance asks for
//! before it runs.
//!
//! - R701: an image inspected or converted with some of the dangerous
//!   features refused (backing file, qcow2 data file, VMDK extents) but not
//!   all, or converted after `qemu-img info` with none refused.
//!
//! Format pinning (`qemu-img` without `-f`, a probed format passed back) is
//! the dataflow rule T843. These rules look at one function body at a time
//! ([`image_work`]), with the APIs they know as data ([`image_apis`]).

mod image_apis;
mod image_safety_check_incomplete;
mod image_work;

use ruff_python_ast::Stmt;

use super::checker::Hook;
use super::rule::FamilyRules;
use super::{Context, Diagnostic, On};

pub static RULES: FamilyRules = FamilyRules {
    rules: &[&image_safety_check_incomplete::RULE],
    hooks: &[Hook {
        rules: &[&image_safety_check_incomplete::RULE],
        on: On::Stmt(check_function),
    }],
};

/// Words a body that works on a disk image writes.
const IMAGE_WORDS: &[&str] = &["qemu-img", "qemu_img", "QemuImgInfo", "convert_image", "resize_image"];

/// Runs the body checks on each function that names an image operation in
/// its text (a cheap filter before walking it again).
fn check_function(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::FunctionDef(func) = stmt else { return };
    if !cx.words_of(&func.body).any(IMAGE_WORDS) {
        return;
    }
    image_safety_check_incomplete::check(cx, func.name.as_str(), &func.body, out);
}
