//! Marking a folder as murmur's: the manifest's list of files with their sizes and
//! checksums, written, updated and verified.

use super::*;
use std::io::Write;

/// Marks `dir` as murmur's: rewrites its manifest with [`FORMAT_KEY`], `folders`
/// (sub-folders of sealed folders, such as a sweep's `points`) and `files`, the list of
/// every other file now in it with its size and SHA-256 (without checksums when
/// `checksums` is false). The manifest is replaced atomically.
pub fn seal(dir: &Path, folders: &[&str], checksums: bool) -> Result<(), FolderError> {
    let path = dir.join(MANIFEST);
    let text = fs::read_to_string(&path).map_err(io(&path))?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| FolderError::Io {
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
    write_manifest(dir, &Seal::new(manifest, files, folders))
}

/// Writes the manifest of `dir` as `seal` has it ([`Seal::to_value`]), atomically and
/// in one write (serde_json writes a file a token at a time).
pub fn write_manifest(dir: &Path, seal: &Seal) -> Result<(), FolderError> {
    let path = dir.join(MANIFEST);
    let tmp = dir.join(format!(".{MANIFEST}.murmur-tmp-{}", std::process::id()));
    let result = (|| {
        let mut text = serde_json::to_vec_pretty(&seal.to_value())?;
        text.push(b'\n');
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&text)?;
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
pub fn check_drawings(dir: &Path, manifest: &Seal) -> Result<(), FolderError> {
    let mut findings = Findings::default();
    for entry in fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let rel = entry.file_name().to_string_lossy().into_owned();
        if is_drawing(&rel) {
            findings.check(dir, rel, &manifest.files);
        }
    }
    findings.verdict(dir)
}

/// Records files just written into `dir` (paths relative to it) in its manifest, with
/// their sizes and checksums, keeping every other entry as it was: a file changed by
/// someone else stays recorded as murmur wrote it, and nothing foreign is adopted.
pub fn record(dir: &Path, written: &[String]) -> Result<(), FolderError> {
    let mut manifest = read_manifest(dir).ok_or_else(|| FolderError::Foreign {
        path: dir.to_path_buf(),
        files: vec![format!("no {MANIFEST} marked by murmur")],
    })?;
    let entries = &mut manifest.files;
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
    write_manifest(dir, &manifest)
}

/// Checks that every file a sealed folder lists is there and unchanged (sizes and
/// checksums), for reading a folder back (merge): returns the missing or changed files.
pub fn verify_listed(dir: &Path) -> Result<Vec<String>, FolderError> {
    let manifest = read_manifest(dir).ok_or_else(|| FolderError::Foreign {
        path: dir.to_path_buf(),
        files: vec![MANIFEST.into()],
    })?;
    let mut bad = Vec::new();
    for entry in manifest.files {
        if !entry.unchanged(&dir.join(&entry.path)) {
            bad.push(entry.path);
        }
    }
    Ok(bad)
}
