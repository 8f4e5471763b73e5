//! Writing a results folder: replacing one atomically, and the claim (checks, lock,
//! created parents) a command holds while it writes.

use super::*;
use std::io::Write;

/// Removes a folder that [`inspect`] found to be murmur's, entry by entry: listed
/// files, murmur's stale temporaries, then the folders they leave empty. Anything that
/// appeared in between stays where it is.
pub(super) fn remove_owned(dir: &Path) -> Result<(), FolderError> {
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
pub(super) fn remove_stale_temporaries(parent: &Path, name: &str) {
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
    pub fn in_place(dir: &Path) -> Result<(Claim, Seal), FolderError> {
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
