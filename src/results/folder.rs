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
use std::io::Write;
use std::path::{Component, Path, PathBuf};

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

/// What a target folder holds.
#[derive(Debug)]
pub enum State {
    /// Nothing is there.
    Absent,
    /// An empty folder: nothing to lose.
    Empty,
    /// A murmur results folder whose every file murmur wrote; its manifest.
    Owned(serde_json::Value),
}

/// A safe folder name from a scenario's `name`: letters, digits, `-`, `_` and inner
/// dots; anything else (separators, spaces) becomes `-`; never empty, never dots only,
/// never hidden.
pub fn slug(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    // Runs of dots between separators ("a/../b") say nothing: drop them.
    let out = mapped
        .split('-')
        .filter(|part| !part.is_empty() && !part.chars().all(|c| c == '.'))
        .collect::<Vec<_>>()
        .join("-");
    let out = out.trim_matches('.').to_string();
    if out.is_empty() { "run".into() } else { out }
}

/// `path` made absolute and normalised: `.` dropped, `..` applied, the part that
/// exists resolved through symbolic links.
fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let mut out = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir()?.canonicalize()?
    };
    for component in path.components() {
        match component {
            Component::Prefix(p) => out.push(p.as_os_str()),
            Component::RootDir => out.push("/"),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    Ok(out)
}

/// Refuses targets murmur must never write into or replace: `/`, the home folder,
/// the current folder or any of its ancestors, the folder of any input file
/// (`inputs`: the scenario files) or any of its ancestors, and paths that are not
/// plain folder names (a symbolic link, a file). Returns the absolute target.
pub fn check_target(out: &Path, inputs: &[&Path]) -> Result<PathBuf, FolderError> {
    let unsafe_because = |reason: String| FolderError::Unsafe {
        path: out.to_path_buf(),
        reason,
    };
    if out.as_os_str().is_empty() {
        return Err(unsafe_because("the folder name is empty".into()));
    }
    let target = absolute(out).map_err(io(out))?;
    if target.parent().is_none() {
        return Err(unsafe_because("it is the root folder".into()));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = absolute(Path::new(&home)).unwrap_or_else(|_| PathBuf::from(home));
        if target == home {
            return Err(unsafe_because("it is the home folder".into()));
        }
    }
    let cwd = absolute(Path::new(".")).map_err(io(out))?;
    if cwd.starts_with(&target) {
        return Err(unsafe_because(if cwd == target {
            "it is the current folder".into()
        } else {
            "it holds the current folder".into()
        }));
    }
    for input in inputs {
        let Ok(input) = absolute(input) else { continue };
        if input.starts_with(&target) {
            return Err(unsafe_because(format!(
                "it holds the input file {}",
                input.display()
            )));
        }
    }
    if let Ok(meta) = fs::symlink_metadata(out) {
        if meta.file_type().is_symlink() {
            return Err(unsafe_because(
                "it is a symbolic link; give the folder it points to".into(),
            ));
        }
        if !meta.is_dir() {
            return Err(unsafe_because("it is a file, not a folder".into()));
        }
    }
    Ok(target)
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

/// The manifest of `dir`, if it is a murmur manifest of this format.
pub fn read_manifest(dir: &Path) -> Option<serde_json::Value> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    (value.get(FORMAT_KEY).and_then(serde_json::Value::as_u64) == Some(FORMAT)).then_some(value)
}

fn entries_of(manifest: &serde_json::Value) -> Vec<Entry> {
    manifest
        .get("files")
        .and_then(|f| serde_json::from_value(f.clone()).ok())
        .unwrap_or_default()
}

fn folders_of(manifest: &serde_json::Value) -> Vec<String> {
    manifest
        .get("folders")
        .and_then(|f| serde_json::from_value(f.clone()).ok())
        .unwrap_or_default()
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
        let files = names
            .into_iter()
            .filter(|n| !is_stale_temporary(n))
            .map(|n| {
                if dir.join(&n).is_dir() {
                    format!("{n}/")
                } else {
                    n
                }
            })
            .collect();
        return Err(FolderError::Foreign {
            path: dir.to_path_buf(),
            files,
        });
    };
    let listed = entries_of(&manifest);
    let folders = folders_of(&manifest);
    let mut foreign = Vec::new();
    let mut changed = Vec::new();
    for rel in walk(dir, &folders).map_err(io(dir))? {
        if rel == MANIFEST || rel.trim_end_matches('/').split('/').any(is_stale_temporary) {
            continue;
        }
        match listed.iter().find(|e| e.path == rel) {
            None => foreign.push(rel),
            Some(entry) => {
                let path = dir.join(&rel);
                let size = fs::metadata(&path).map(|m| m.len()).ok();
                let same = size == Some(entry.bytes)
                    && match &entry.sha256 {
                        Some(sum) => sha256_file(&path).ok().as_ref() == Some(sum),
                        None => true,
                    };
                if !same {
                    changed.push(rel);
                }
            }
        }
    }
    // Sub-folders of sealed folders (a sweep's points): each must be one itself.
    for folder in &folders {
        let path = dir.join(folder);
        let Ok(children) = fs::read_dir(&path) else {
            if path.exists() {
                foreign.push(folder.clone());
            }
            continue;
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
    }
    if !foreign.is_empty() {
        return Err(FolderError::Foreign {
            path: dir.to_path_buf(),
            files: foreign,
        });
    }
    if !changed.is_empty() {
        return Err(FolderError::Changed {
            path: dir.to_path_buf(),
            files: changed,
        });
    }
    Ok(State::Owned(manifest))
}

/// Marks `dir` as murmur's: rewrites its manifest with [`FORMAT_KEY`], `folders`
/// (sub-folders of sealed folders, such as a sweep's `points`) and `files`, the list of
/// every other file now in it with its size and SHA-256 (without checksums when
/// `checksums` is false). The manifest is replaced atomically.
pub fn seal(dir: &Path, folders: &[&str], checksums: bool) -> Result<(), FolderError> {
    let path = dir.join(MANIFEST);
    let text = fs::read_to_string(&path).map_err(io(&path))?;
    let mut manifest: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| FolderError::Io {
            path: path.clone(),
            source: e.into(),
        })?;
    let folders: Vec<String> = folders.iter().map(|f| f.to_string()).collect();
    let mut files = Vec::new();
    for rel in walk(dir, &folders).map_err(io(dir))? {
        if rel == MANIFEST || rel.ends_with('/') || rel.split('/').any(is_stale_temporary) {
            continue;
        }
        let file = dir.join(&rel);
        let bytes = fs::metadata(&file).map_err(io(&file))?.len();
        let sha256 = if checksums {
            Some(sha256_file(&file).map_err(io(&file))?)
        } else {
            None
        };
        files.push(Entry {
            path: rel,
            bytes,
            sha256,
        });
    }
    write_manifest_fields(dir, &mut manifest, files, &folders)
}

/// Writes `manifest` with the format key, `files` and `folders`, atomically.
pub fn write_manifest_fields(
    dir: &Path,
    manifest: &mut serde_json::Value,
    files: Vec<Entry>,
    folders: &[String],
) -> Result<(), FolderError> {
    let path = dir.join(MANIFEST);
    if let Some(object) = manifest.as_object_mut() {
        object.insert(FORMAT_KEY.into(), FORMAT.into());
        object.insert(
            "files".into(),
            serde_json::to_value(files).unwrap_or_default(),
        );
        if folders.is_empty() {
            object.remove("folders");
        } else {
            object.insert("folders".into(), folders.into());
        }
    }
    let tmp = dir.join(format!(".{MANIFEST}.murmur-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        serde_json::to_writer_pretty(&mut f, &manifest)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io(&path))
}

/// Whether a file of a results folder is one `murmur plot` draws: a plot (PNG or SVG)
/// or the report, at the top of the folder.
pub fn is_drawing(rel: &str) -> bool {
    !rel.contains('/')
        && !rel.starts_with('.')
        && (rel.ends_with(".png") || rel.ends_with(".svg") || rel == "report.html")
}

/// Refuses to redraw a folder's plots and report when one of the files that would be
/// overwritten ([`is_drawing`]) is not murmur's or was changed since (an edited figure).
pub fn check_drawings(dir: &Path, manifest: &serde_json::Value) -> Result<(), FolderError> {
    let listed = entries_of(manifest);
    let (mut foreign, mut changed) = (Vec::new(), Vec::new());
    for entry in fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let rel = entry.file_name().to_string_lossy().into_owned();
        if !is_drawing(&rel) {
            continue;
        }
        match listed.iter().find(|e| e.path == rel) {
            None => foreign.push(rel),
            Some(e) => {
                let path = entry.path();
                let same = fs::metadata(&path).is_ok_and(|m| m.len() == e.bytes)
                    && e.sha256
                        .as_ref()
                        .is_none_or(|sum| sha256_file(&path).ok().as_ref() == Some(sum));
                if !same {
                    changed.push(rel);
                }
            }
        }
    }
    if !foreign.is_empty() {
        return Err(FolderError::Foreign {
            path: dir.to_path_buf(),
            files: foreign,
        });
    }
    if !changed.is_empty() {
        return Err(FolderError::Changed {
            path: dir.to_path_buf(),
            files: changed,
        });
    }
    Ok(())
}

/// Records files just written into `dir` (paths relative to it) in its manifest, with
/// their sizes and checksums, keeping every other entry as it was: a file changed by
/// someone else stays recorded as murmur wrote it, and nothing foreign is adopted.
pub fn record(dir: &Path, written: &[String]) -> Result<(), FolderError> {
    let mut manifest = read_manifest(dir).ok_or_else(|| FolderError::Foreign {
        path: dir.to_path_buf(),
        files: vec![format!("no {MANIFEST} marked by murmur")],
    })?;
    let mut entries = entries_of(&manifest);
    for rel in written {
        let path = dir.join(rel);
        let entry = Entry {
            path: rel.clone(),
            bytes: fs::metadata(&path).map_err(io(&path))?.len(),
            sha256: Some(sha256_file(&path).map_err(io(&path))?),
        };
        match entries.iter_mut().find(|e| e.path == *rel) {
            Some(e) => *e = entry,
            None => entries.push(entry),
        }
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let folders = folders_of(&manifest);
    write_manifest_fields(dir, &mut manifest, entries, &folders)
}

/// Checks that every file a sealed folder lists is there and unchanged (sizes and
/// checksums), for reading a folder back (merge): returns the missing or changed files.
pub fn verify_listed(dir: &Path) -> Result<Vec<String>, FolderError> {
    let manifest = read_manifest(dir).ok_or_else(|| FolderError::Foreign {
        path: dir.to_path_buf(),
        files: vec![MANIFEST.into()],
    })?;
    let mut bad = Vec::new();
    for entry in entries_of(&manifest) {
        let path = dir.join(&entry.path);
        let ok = fs::metadata(&path).is_ok_and(|m| m.len() == entry.bytes)
            && entry
                .sha256
                .as_ref()
                .is_none_or(|sum| sha256_file(&path).ok().as_ref() == Some(sum));
        if !ok {
            bad.push(entry.path);
        }
    }
    Ok(bad)
}

/// Removes a folder that [`inspect`] found to be murmur's, entry by entry: listed
/// files, murmur's stale temporaries, then the folders they leave empty. Anything that
/// appeared in between stays where it is.
fn remove_owned(dir: &Path) -> Result<(), FolderError> {
    match inspect(dir)? {
        State::Absent => Ok(()),
        State::Empty => fs::remove_dir(dir).map_err(io(dir)),
        State::Owned(_) => fs::remove_dir_all(dir).map_err(io(dir)),
    }
}

/// Fills a results folder so that it appears whole or not at all: `fill` writes into a
/// hidden temporary folder beside `out`, which is then sealed ([`seal`], with
/// `folders` as its folders of sealed sub-folders) and renamed
/// into place. `out` may be absent, an empty folder, or a murmur folder of which every
/// file is murmur's ([`inspect`]); it is replaced only then. On failure nothing is
/// left behind.
pub fn replace_dir<E: From<FolderError>>(
    out: &Path,
    folders: &[&str],
    fill: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    let state = inspect(out)?;
    let parent = parent_of(out);
    let name = out
        .file_name()
        .map_or("results".into(), |n| n.to_string_lossy().into_owned());
    remove_stale_temporaries(&parent, &name);
    let tmp = parent.join(format!(".{name}.murmur-tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.murmur-old-{}", std::process::id()));
    let result = (|| -> Result<(), E> {
        fs::create_dir(&tmp).map_err(io(&tmp))?;
        fill(&tmp)?;
        seal(&tmp, folders, true)?;
        match state {
            State::Absent => {}
            State::Empty => fs::remove_dir(out).map_err(io(out))?,
            State::Owned(_) => fs::rename(out, &old).map_err(io(out))?,
        }
        fs::rename(&tmp, out).map_err(io(out))?;
        if old.exists() {
            remove_owned(&old)?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// The folder `out` sits in (`.` for a bare name).
pub fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Removes what interrupted runs (killed before they could clean up) left of `name`
/// in `parent`: hidden `.NAME.murmur-tmp-PID` and `.NAME.murmur-old-PID` folders whose
/// process is gone.
fn remove_stale_temporaries(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let old = format!(".{name}.murmur-old-");
        let stale = if let Some(pid) = file_name.strip_prefix(&old) {
            pid.parse::<u32>().is_ok_and(|pid| {
                pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
            })
        } else {
            file_name.starts_with(&format!(".{name}.murmur-tmp-"))
                && is_stale_temporary(&file_name)
                && !file_name.ends_with(&format!("-{}", std::process::id()))
        };
        if stale {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// The right to write one results folder, held for a whole command: the target was
/// checked ([`check_target`]), found absent, empty or murmur's ([`inspect`]), and
/// locked against other murmur processes (an advisory lock on a hidden
/// `.NAME.murmur-lock` file beside it). Parent folders created for it are removed
/// again if the command fails (when they are still empty).
#[derive(Debug)]
pub struct Claim {
    out: PathBuf,
    state: Option<State>,
    lock: Option<(PathBuf, fs::File)>,
    created: Vec<PathBuf>,
    kept: bool,
}

impl Claim {
    /// Claims `out` for a command reading `inputs` (scenario files).
    pub fn new(out: &Path, inputs: &[&Path]) -> Result<Claim, FolderError> {
        check_target(out, inputs)?;
        Claim::lock(out, true)
    }

    /// Claims an existing murmur folder to redraw its plots and report in place
    /// (`murmur plot`), which never replaces the folder itself, so it may be the
    /// current folder. Only the files it will rewrite are checked ([`check_drawings`]):
    /// its CSVs are its input. Returns the claim and the folder's manifest.
    pub fn in_place(dir: &Path) -> Result<(Claim, serde_json::Value), FolderError> {
        let Some(manifest) = read_manifest(dir) else {
            return Err(FolderError::Foreign {
                path: dir.to_path_buf(),
                files: vec![format!("no {MANIFEST} marked by murmur")],
            });
        };
        let claim = Claim::lock(dir, false)?;
        check_drawings(dir, &manifest)?;
        Ok((claim, manifest))
    }

    /// Locks `out`; with `whole`, first and after locking, checks that it is absent,
    /// empty or murmur's ([`inspect`]).
    fn lock(out: &Path, whole: bool) -> Result<Claim, FolderError> {
        let state = if whole { inspect(out)? } else { State::Absent };
        let mut claim = Claim {
            out: out.to_path_buf(),
            state: Some(state),
            lock: None,
            created: Vec::new(),
            kept: false,
        };
        let parent = parent_of(out);
        let mut missing = Vec::new();
        let mut p = parent.as_path();
        while !p.as_os_str().is_empty() && !p.exists() {
            missing.push(p.to_path_buf());
            p = p.parent().unwrap_or(Path::new(""));
        }
        for dir in missing.iter().rev() {
            fs::create_dir(dir).map_err(io(dir))?;
            claim.created.push(dir.clone());
        }
        let absolute = absolute(out).map_err(io(out))?;
        let name = absolute
            .file_name()
            .map_or("results".into(), |n| n.to_string_lossy().into_owned());
        let lock_path = parent_of(&absolute).join(format!(".{name}.murmur-lock"));
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let holder = fs::read_to_string(&lock_path)
                    .ok()
                    .filter(|h| !h.trim().is_empty())
                    .map_or_else(|| "unknown process".into(), |h| h.trim().to_string());
                return Err(FolderError::Locked {
                    path: out.to_path_buf(),
                    holder,
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
        }
        // Recorded for the message another process would print.
        let _ = file.set_len(0);
        let _ = writeln!(&file, "process {}", std::process::id());
        claim.lock = Some((lock_path, file));
        // The folder may have changed while waiting for the lock: look again.
        if whole {
            claim.state = Some(inspect(out)?);
        }
        Ok(claim)
    }

    /// What the folder held when it was claimed.
    pub fn state(&self) -> &State {
        self.state.as_ref().unwrap_or(&State::Absent)
    }

    /// The claimed folder.
    pub fn path(&self) -> &Path {
        &self.out
    }

    /// The command succeeded: keep the parent folders it created.
    pub fn keep(&mut self) {
        self.kept = true;
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if let Some((path, file)) = self.lock.take() {
            // Remove the lock file only while it is still the one we hold.
            let ours = match (file.metadata(), fs::metadata(&path)) {
                (Ok(a), Ok(b)) => {
                    use std::os::unix::fs::MetadataExt;
                    a.ino() == b.ino() && a.dev() == b.dev()
                }
                _ => false,
            };
            if ours {
                let _ = fs::remove_file(&path);
            }
            drop(file);
        }
        if !self.kept {
            for dir in self.created.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
        }
    }
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
    fn a_manifest_without_the_format_key_proves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MANIFEST), "{\"files\":[]}").unwrap();
        let e = inspect(dir.path()).unwrap_err();
        assert!(matches!(&e, FolderError::Foreign { files, .. } if files == &[MANIFEST]));
    }
}
