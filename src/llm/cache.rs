//! The response cache: a server's reply to a request body, kept on disk so
//! that a re-run asks nothing and gets the same answers.
//!
//! The key is the whole request body (the model's name, its parameters and
//! every message: the prompt), hashed to name the file; the file keeps the
//! body too, and a hit needs the bodies to be equal, so a hash collision is a
//! miss, not a wrong answer. The API key is a header, never part of the body.
//! Entries are written to a temporary name and renamed, so a reader never
//! sees half a file, whatever runs at the same time.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::client::Reply;

/// The layout of an entry; another version is a miss.
const FORMAT: &str = "vigil-llm-cache/1";

#[derive(Serialize, Deserialize)]
struct Entry {
    format: String,
    request: String,
    reply: Reply,
}

pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self, request: &str) -> PathBuf {
        self.dir.join(format!("{}.json", key(request)))
    }

    /// The reply stored for exactly this request, if any.
    pub fn get(&self, request: &str) -> Option<Reply> {
        let text = std::fs::read_to_string(self.file(request)).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        (entry.format == FORMAT && entry.request == request).then_some(entry.reply)
    }

    /// Stores `reply` for `request`. A cache that cannot be written is not
    /// an error for the review: the next run asks again.
    pub fn put(&self, request: &str, reply: &Reply) -> Result<(), String> {
        let entry = Entry {
            format: FORMAT.to_string(),
            request: request.to_string(),
            reply: reply.clone(),
        };
        let text = serde_json::to_string(&entry).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&self.dir).map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
        let target = self.file(request);
        let temporary = target.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&temporary, text).map_err(|e| format!("cannot write {}: {e}", temporary.display()))?;
        std::fs::rename(&temporary, &target).map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            format!("cannot write {}: {e}", target.display())
        })
    }
}

/// 128 bits of FNV-1a (two 64-bit passes from different offsets): stable
/// across Rust versions and platforms, enough to name files; equality of the
/// stored request is what makes a hit.
pub fn key(request: &str) -> String {
    let pass = |offset: u64| {
        request.bytes().fold(offset, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    format!(
        "{:016x}{:016x}",
        pass(0xcbf2_9ce4_8422_2325),
        pass(0x6c62_272e_07bb_0142)
    )
}

/// The default folder: `$XDG_CACHE_HOME/vigil/llm`, else `~/.cache/vigil/llm`.
pub fn default_dir() -> Option<PathBuf> {
    let from = |var: &str| std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from);
    from("XDG_CACHE_HOME")
        .or_else(|| from("HOME").map(|home| home.join(".cache")))
        .map(|base| base.join("vigil").join("llm"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(text: &str) -> Reply {
        Reply {
            content: text.to_string(),
            finish_reason: Some("stop".into()),
            refusal: None,
            prompt_tokens: 10,
            completion_tokens: 2,
        }
    }

    #[test]
    fn a_stored_reply_comes_back_for_the_same_request_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("c"));
        assert_eq!(cache.get("a"), None);
        cache.put("a", &reply("x")).unwrap();
        assert_eq!(cache.get("a"), Some(reply("x")));
        assert_eq!(cache.get("b"), None);
    }

    #[test]
    fn a_colliding_or_corrupt_file_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        // Another request's entry under this request's name: a collision.
        cache.put("other", &reply("x")).unwrap();
        std::fs::rename(cache.file("other"), cache.file("mine")).unwrap();
        assert_eq!(cache.get("mine"), None);
        std::fs::write(cache.file("mine"), "{trunc").unwrap();
        assert_eq!(cache.get("mine"), None);
    }

    #[test]
    fn keys_are_stable_and_differ() {
        assert_eq!(key("abc"), key("abc"));
        assert_ne!(key("abc"), key("abd"));
        assert_eq!(key("").len(), 32);
    }
}
