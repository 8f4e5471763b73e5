//! Which folders murmur may write, and which it may replace (docs/OUTPUTS.md, "When
//! murmur replaces a folder").
//!
//! murmur replaces only what it can prove it wrote. Every results folder carries a
//! `manifest.json` with the key [`FORMAT_KEY`] and the list of every file murmur wrote
//! there, each with its SHA-256 ([`seal`]); a sweep's manifest also names the folder of
//! point folders, each sealed the same way. A folder may be replaced (or, for a sweep,
//! continued) only when every file in it is on that list and unchanged ([`inspect`]).
//! Dangerous targets (`/`, the home folder, the current folder and its ancestors, the
//! scenario file's folder and its ancestors) are refused outright ([`check_target`]),
//! and a folder being written by another murmur process is refused ([`Claim`]).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

mod claim;
mod seal;
mod seal_record;
mod target;

pub use claim::*;
pub use seal::*;
pub use seal_record::*;
pub use target::*;

/// The manifest key that marks a murmur results folder; its value is the format
/// version, [`FORMAT`].
pub const FORMAT_KEY: &str = "murmur_format";
/// The version of the results-folder format this build writes.
pub const FORMAT: u64 = 1;
/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";

/// Why murmur will not write to, or replace, a folder.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The target is a folder murmur must never replace (`/`, home, `.`, ...).
    #[error(
        "refusing to write results to {path}: {reason}. Choose a new folder for the results, e.g. --out results/my-run"
    )]
    Unsafe {
        /// The target as given.
        path: PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// The folder holds files that murmur did not write (or cannot prove it wrote).
    #[error(
        "refusing to replace {path}: it holds {} murmur did not write ({}). murmur replaces a folder only when every file in it is one it wrote, as listed in its manifest.json; move those files elsewhere or choose another --out",
        count(.files.len(), "file"), list(.files)
    )]
    Foreign {
        /// The folder.
        path: PathBuf,
        /// The foreign entries, relative to the folder.
        files: Vec<String>,
    },
    /// Files murmur wrote were changed since (an edited figure, a truncated CSV).
    #[error(
        "refusing to replace {path}: {} changed since murmur wrote {} ({}). Copy what you want to keep elsewhere, or choose another --out",
        count(.files.len(), "file"), if .files.len() == 1 { "it" } else { "them" }, list(.files)
    )]
    Changed {
        /// The folder.
        path: PathBuf,
        /// The changed files, relative to the folder.
        files: Vec<String>,
    },
    /// Another murmur process is writing the same folder.
    #[error(
        "{path} is being written by another murmur process ({holder}); wait for it to finish or choose another --out"
    )]
    Locked {
        /// The folder.
        path: PathBuf,
        /// Who holds the lock, as it recorded itself.
        holder: String,
    },
    /// A file operation failed.
    #[error("cannot write results to {path}: {source}")]
    Io {
        /// Where.
        path: PathBuf,
        /// The system's reason.
        #[source]
        source: std::io::Error,
    },
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The first few names, then how many more.
fn list(files: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = files
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > SHOWN {
        text.push_str(&format!(" and {} more", files.len() - SHOWN));
    }
    text
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FolderError + '_ {
    move |source| FolderError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One file murmur wrote, as listed in a manifest.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the folder, with `/` separators.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the contents, hex; absent while a sweep is being assembled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl Entry {
    /// Whether the file at `path` is still as murmur wrote it: the same size and the
    /// same SHA-256. An entry listed without a checksum (a sweep's files while they are
    /// being replaced) accepts any contents.
    pub fn unchanged(&self, path: &Path) -> bool {
        self.sha256.as_ref().is_none_or(|sum| {
            fs::metadata(path).is_ok_and(|m| m.len() == self.bytes)
                && sha256_file(path).ok().as_ref() == Some(sum)
        })
    }
}

/// What a target folder holds.
#[derive(Debug)]
pub enum State {
    /// Nothing is there.
    Absent,
    /// An empty folder: nothing to lose.
    Empty,
    /// A murmur results folder whose every file murmur wrote; its manifest.
    Owned(Seal),
}

/// Whether `name` is one of murmur's own hidden temporary names
/// (`.NAME.murmur-tmp-PID[.ext]`) whose process is gone: a leftover of a killed run.
pub fn is_stale_temporary(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    let Some((_, tail)) = rest.rsplit_once(".murmur-tmp-") else {
        return false;
    };
    let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
    let Ok(pid) = digits.parse::<u32>() else {
        return false;
    };
    let rest_ok = tail[digits.len()..].is_empty() || tail[digits.len()..].starts_with('.');
    rest_ok && (pid == std::process::id() || !Path::new(&format!("/proc/{pid}")).exists())
}

/// The manifest of `dir`, if it is a murmur manifest of this format: JSON whose
/// [`FORMAT_KEY`] is [`FORMAT`], whatever its other keys hold ([`Seal::parse`]).
pub fn read_manifest(dir: &Path) -> Option<Seal> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    Seal::parse(value).filter(|seal| seal.murmur_format == FORMAT)
}

/// SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut hasher = Sha256::new();
    let mut file = fs::File::open(path)?;
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Every file under `dir` (not following links), relative with `/` separators, except
/// those under the `skip` sub-folders; folders are listed with a trailing `/` when
/// they hold nothing else.
fn walk(dir: &Path, skip: &[String]) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, rel)) = stack.pop() {
        let mut any = false;
        for entry in fs::read_dir(&path)? {
            let entry = entry?;
            any = true;
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = format!("{rel}{name}");
            if skip.contains(&child) {
                continue;
            }
            if entry.file_type()?.is_dir() {
                stack.push((entry.path(), format!("{child}/")));
            } else {
                found.push(child);
            }
        }
        if !any && !rel.is_empty() {
            found.push(rel);
        }
    }
    found.sort();
    Ok(found)
}

/// What checking a folder's files against its manifest found: files not on the list,
/// and listed files changed since murmur wrote them.
#[derive(Default)]
struct Findings {
    foreign: Vec<String>,
    changed: Vec<String>,
}

impl Findings {
    /// Files the file `rel` of `dir` as foreign (not in `listed`) or changed.
    fn check(&mut self, dir: &Path, rel: String, listed: &[Entry]) {
        match listed.iter().find(|e| e.path == rel) {
            None => self.foreign.push(rel),
            Some(entry) if !entry.unchanged(&dir.join(&rel)) => self.changed.push(rel),
            Some(_) => {}
        }
    }

    /// Refuses `dir` naming its foreign files, or else its changed ones.
    fn verdict(self, dir: &Path) -> Result<(), FolderError> {
        if !self.foreign.is_empty() {
            return Err(FolderError::Foreign {
                path: dir.to_path_buf(),
                files: self.foreign,
            });
        }
        if !self.changed.is_empty() {
            return Err(FolderError::Changed {
                path: dir.to_path_buf(),
                files: self.changed,
            });
        }
        Ok(())
    }
}

/// What `dir` holds: nothing, an empty folder, or a murmur folder whose every file is
/// one murmur wrote and has not changed since. Anything else is refused, naming the
/// foreign or changed files. Murmur's own stale temporaries are counted as its own.
pub fn inspect(dir: &Path) -> Result<State, FolderError> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::Absent),
        Err(e) => return Err(io(dir)(e)),
    };
    if !meta.is_dir() {
        return Err(FolderError::Unsafe {
            path: dir.to_path_buf(),
            reason: "it is a file, not a folder".into(),
        });
    }
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    if names.is_empty() {
        return Ok(State::Empty);
    }
    let Some(manifest) = read_manifest(dir) else {
        return Err(FolderError::Foreign {
            path: dir.to_path_buf(),
            files: top_level_names(dir, names),
        });
    };
    let mut findings = Findings::default();
    for rel in walk(dir, &manifest.folders).map_err(io(dir))? {
        if rel == MANIFEST || rel.trim_end_matches('/').split('/').any(is_stale_temporary) {
            continue;
        }
        findings.check(dir, rel, &manifest.files);
    }
    // Sub-folders of sealed folders (a sweep's points): each must be one itself.
    for folder in &manifest.folders {
        inspect_sealed_children(dir, folder, &mut findings)?;
    }
    findings.verdict(dir)?;
    Ok(State::Owned(manifest))
}

/// The entries of a folder with no manifest of murmur's, as named in a refusal:
/// folders with a trailing `/`, murmur's own stale temporaries left out.
fn top_level_names(dir: &Path, names: Vec<String>) -> Vec<String> {
    names
        .into_iter()
        .filter(|n| !is_stale_temporary(n))
        .map(|n| {
            if dir.join(&n).is_dir() {
                format!("{n}/")
            } else {
                n
            }
        })
        .collect()
}

/// Checks each child of the sealed sub-folder `folder` of `dir` (a sweep's `points`):
/// each must be a murmur folder itself ([`inspect`]); adds what is not to `findings`,
/// as paths relative to `dir`.
fn inspect_sealed_children(
    dir: &Path,
    folder: &str,
    findings: &mut Findings,
) -> Result<(), FolderError> {
    let Findings { foreign, changed } = findings;
    let path = dir.join(folder);
    let Ok(children) = fs::read_dir(&path) else {
        if path.exists() {
            foreign.push(folder.to_string());
        }
        return Ok(());
    };
    for child in children.flatten() {
        let name = child.file_name().to_string_lossy().into_owned();
        if is_stale_temporary(&name) {
            continue;
        }
        let rel = format!("{folder}/{name}");
        match inspect(&child.path()) {
            Ok(State::Owned(_)) => {}
            Ok(State::Empty) | Ok(State::Absent) => foreign.push(format!("{rel}/")),
            Err(FolderError::Foreign { files, .. }) => {
                foreign.extend(files.into_iter().map(|f| format!("{rel}/{f}")))
            }
            Err(FolderError::Unsafe { .. }) => foreign.push(rel),
            Err(FolderError::Changed { files, .. }) => {
                changed.extend(files.into_iter().map(|f| format!("{rel}/{f}")))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_have_no_separators_and_are_never_dots_only() {
        assert_eq!(slug("bass-complete"), "bass-complete");
        assert_eq!(slug(".."), "run");
        assert_eq!(slug("/abs/dir"), "abs-dir");
        assert_eq!(slug("a b/c\\d"), "a-b-c-d");
        assert_eq!(slug("..hidden"), "hidden");
        assert_eq!(slug(""), "run");
        assert_eq!(slug("v1.2"), "v1.2");
        assert_eq!(slug("a b/../c"), "a-b-c");
        assert_eq!(slug("..."), "run");
    }

    #[test]
    fn temporaries_of_live_processes_are_not_stale() {
        let me = std::process::id();
        assert!(is_stale_temporary(&format!(".x.murmur-tmp-{me}")));
        assert!(!is_stale_temporary(".x.murmur-tmp-1")); // init is alive
        assert!(is_stale_temporary(".plot.png.murmur-tmp-4294967.png"));
        assert!(!is_stale_temporary("x.murmur-tmp-4294967"));
        assert!(!is_stale_temporary(".x.murmur-tmp-abc"));
    }

    #[test]
    fn a_sealed_folder_is_owned_until_a_file_is_added_or_changed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("r");
        fs::create_dir(&d).unwrap();
        fs::write(d.join(MANIFEST), "{\"kind\":\"run\"}").unwrap();
        fs::write(d.join("a.csv"), "x\n1\n").unwrap();
        seal(&d, &[], true).unwrap();
        assert!(matches!(inspect(&d).unwrap(), State::Owned(_)));
        fs::write(d.join("notes.md"), "mine").unwrap();
        let e = inspect(&d).unwrap_err();
        assert!(matches!(&e, FolderError::Foreign { files, .. } if files == &["notes.md"]));
        fs::remove_file(d.join("notes.md")).unwrap();
        fs::write(d.join("a.csv"), "x\n2\n").unwrap();
        let e = inspect(&d).unwrap_err();
        assert!(matches!(&e, FolderError::Changed { files, .. } if files == &["a.csv"]));
    }

    #[test]
    fn an_entry_listed_without_a_checksum_accepts_any_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("timeseries.csv");
        fs::write(&path, "a longer file than recorded\n").unwrap();
        let unchecked = Entry {
            path: "timeseries.csv".into(),
            bytes: 3,
            sha256: None,
        };
        assert!(unchecked.unchanged(&path));
        let checked = Entry {
            sha256: Some(sha256_file(&path).unwrap()),
            ..unchecked
        };
        assert!(!checked.unchanged(&path), "the size differs");
    }

    #[test]
    fn a_manifest_without_the_format_key_proves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MANIFEST), "{\"files\":[]}").unwrap();
        let e = inspect(dir.path()).unwrap_err();
        assert!(matches!(&e, FolderError::Foreign { files, .. } if files == &[MANIFEST]));
    }

    /// A folder holding only `manifest` and `a.csv` (contents `x`).
    fn folder_with(manifest: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MANIFEST), manifest).unwrap();
        fs::write(dir.path().join("a.csv"), "x").unwrap();
        dir
    }

    #[test]
    fn only_the_format_key_makes_a_manifest_murmurs() {
        for text in [
            "{\"murmur_format\":2,\"files\":[]}",
            "{\"murmur_format\":1.0,\"files\":[]}",
            "{\"murmur_format\":\"1\",\"files\":[]}",
            "[{\"murmur_format\":1}]",
            "{\"murmur_format\":1,",
        ] {
            let dir = folder_with(text);
            assert!(read_manifest(dir.path()).is_none(), "{text}");
            let e = inspect(dir.path()).unwrap_err();
            assert!(
                matches!(&e, FolderError::Foreign { files, .. } if files == &["a.csv", MANIFEST]),
                "{text}: {e}"
            );
        }
    }

    #[test]
    fn a_murmur_manifest_with_malformed_lists_lists_nothing() {
        let sum = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
        let good = format!("{{\"path\":\"a.csv\",\"bytes\":1,\"sha256\":\"{sum}\"}}");
        let dir = folder_with(&format!("{{\"murmur_format\":1,\"files\":[{good}]}}"));
        assert!(matches!(inspect(dir.path()).unwrap(), State::Owned(_)));
        // Not a list, or a list with one malformed entry: no file is murmur's, but the
        // folder still carries murmur's manifest (owned when nothing else is there).
        for files in [
            "\"a.csv\"".to_string(),
            format!("[{good},3]"),
            "null".to_string(),
        ] {
            let text = format!("{{\"murmur_format\":1,\"kind\":7,\"files\":{files}}}");
            let dir = folder_with(&text);
            assert!(read_manifest(dir.path()).is_some(), "{text}");
            let e = inspect(dir.path()).unwrap_err();
            assert!(
                matches!(&e, FolderError::Foreign { files, .. } if files == &["a.csv"]),
                "{text}: {e}"
            );
            fs::remove_file(dir.path().join("a.csv")).unwrap();
            assert!(
                matches!(inspect(dir.path()).unwrap(), State::Owned(_)),
                "{text}"
            );
        }
        // Malformed `folders` protect nothing: a sub-folder is checked file by file.
        let dir = folder_with("{\"murmur_format\":1,\"files\":[],\"folders\":\"points\"}");
        fs::remove_file(dir.path().join("a.csv")).unwrap();
        fs::create_dir(dir.path().join("points")).unwrap();
        let e = inspect(dir.path()).unwrap_err();
        assert!(matches!(&e, FolderError::Foreign { files, .. } if files == &["points/"]));
    }

    #[test]
    fn sealing_keeps_every_other_key_where_it_was() {
        let sum = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
        // Keys murmur owns in the middle stay there; new ones are added at the end.
        let dir = folder_with("{\"files\":7,\"kind\":\"run\",\"z\":{\"b\":1,\"a\":[2]}}");
        seal(dir.path(), &[], true).unwrap();
        let text = fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        let entry = format!(
            "{{\n      \"path\": \"a.csv\",\n      \"bytes\": 1,\n      \"sha256\": \"{sum}\"\n    }}"
        );
        assert_eq!(
            text,
            format!(
                "{{\n  \"files\": [\n    {entry}\n  ],\n  \"kind\": \"run\",\n  \"z\": {{\n    \"b\": 1,\n    \"a\": [\n      2\n    ]\n  }},\n  \"murmur_format\": 1\n}}\n"
            )
        );
        // `folders` dropped when none are given: the last key takes its place.
        let dir = folder_with(
            "{\"murmur_format\":1,\"folders\":[\"p\"],\"kind\":\"run\",\"files\":[],\"x\":2}",
        );
        fs::remove_file(dir.path().join("a.csv")).unwrap();
        seal(dir.path(), &[], true).unwrap();
        let text = fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        assert_eq!(
            text,
            "{\n  \"murmur_format\": 1,\n  \"x\": 2,\n  \"kind\": \"run\",\n  \"files\": []\n}\n"
        );
        // Recording a file keeps the order too, `folders` included; an entry not
        // written stays as it was.
        let dir = folder_with(
            "{\"kind\":\"run\",\"murmur_format\":1,\"folders\":[\"p\"],\"files\":[{\"path\":\"b.csv\",\"bytes\":9}],\"y\":null}",
        );
        record(dir.path(), &["a.csv".into()]).unwrap();
        let text = fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        assert_eq!(
            text,
            format!(
                "{{\n  \"kind\": \"run\",\n  \"murmur_format\": 1,\n  \"folders\": [\n    \"p\"\n  ],\n  \"files\": [\n    {entry},\n    {{\n      \"path\": \"b.csv\",\n      \"bytes\": 9\n    }}\n  ],\n  \"y\": null\n}}\n"
            )
        );
        // A manifest that is not an object is written back as it was.
        let dir = folder_with("[1]");
        seal(dir.path(), &[], true).unwrap();
        let text = fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        assert_eq!(text, "[\n  1\n]\n");
    }
}
