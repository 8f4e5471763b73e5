//! Where results may go at all: safe folder names, and targets refused outright.

use super::*;
use std::path::Component;

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
pub(super) fn absolute(path: &Path) -> std::io::Result<PathBuf> {
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
