//! The messages of a run spread over MPI ranks ([`super::spread`]): a verdict, the
//! scenario rank 0 read, or the files of the folder a rank wrote, as bytes. Pure (no
//! MPI), so every build tests it; the transport that carries the bytes is elsewhere.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// The first bytes of every message: a name and a format version.
const MAGIC: &[u8; 8] = b"murmur\x01\x00";

/// One message between ranks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The sender failed: the message murmur prints for it and its exit code.
    Failed {
        /// The exit code (2 for bad input, 1 otherwise).
        code: u8,
        /// What went wrong, as the sender would print it.
        message: String,
    },
    /// Rank 0 to all: the run is checked and its folder claimed; here are the scenario
    /// file's bytes and the number of slices (ranks from `slices` on stay idle).
    Go {
        /// The scenario file, as rank 0 read it.
        scenario: Vec<u8>,
        /// How many ranks run a slice.
        slices: u64,
    },
    /// A slice's folder: every file (and folder, its path ending in `/`, with no
    /// bytes) under it, by path relative to it with `/` between names, in path order.
    Folder(Vec<(String, Vec<u8>)>),
}

/// Why a message could not be read or its folder written.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The bytes are not a message of this version of murmur.
    #[error("a message from another rank is malformed ({what}); are all ranks the same murmur?")]
    Malformed {
        /// What is wrong.
        what: &'static str,
    },
    /// A path in a folder message would land outside the folder.
    #[error("a message from another rank names the file {path:?}, outside its folder")]
    Outside {
        /// The path as sent.
        path: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// The bytes of `message`: [`MAGIC`], a tag, then its fields, lengths as little-endian
/// u64 (u8 for the exit code).
pub fn encode(message: &Message) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    let put = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    };
    match message {
        Message::Failed { code, message } => {
            out.extend_from_slice(&[0, *code]);
            put(&mut out, message.as_bytes());
        }
        Message::Go { scenario, slices } => {
            out.push(1);
            out.extend_from_slice(&slices.to_le_bytes());
            put(&mut out, scenario);
        }
        Message::Folder(files) => {
            out.push(2);
            out.extend_from_slice(&(files.len() as u64).to_le_bytes());
            for (path, bytes) in files {
                put(&mut out, path.as_bytes());
                put(&mut out, bytes);
            }
        }
    }
    out
}

/// Reads the message [`encode`] wrote, refusing anything else (truncated, extended,
/// another version).
pub fn decode(bytes: &[u8]) -> Result<Message, WireError> {
    let mut r = Reader(bytes);
    if r.take(MAGIC.len())? != MAGIC {
        return Err(WireError::Malformed {
            what: "it does not start as a murmur message of this version",
        });
    }
    let message = match r.take(1)?[0] {
        0 => {
            let code = r.take(1)?[0];
            let message = String::from_utf8_lossy(r.field()?).into_owned();
            Message::Failed { code, message }
        }
        1 => {
            let slices = r.u64()?;
            Message::Go {
                scenario: r.field()?.to_vec(),
                slices,
            }
        }
        2 => {
            let count = r.u64()?;
            let mut files = Vec::new();
            for _ in 0..count {
                let path = std::str::from_utf8(r.field()?).map_err(|_| WireError::Malformed {
                    what: "a file name is not UTF-8",
                })?;
                files.push((path.to_string(), r.field()?.to_vec()));
            }
            Message::Folder(files)
        }
        _ => {
            return Err(WireError::Malformed {
                what: "unknown kind of message",
            });
        }
    };
    if !r.0.is_empty() {
        return Err(WireError::Malformed {
            what: "bytes after its end",
        });
    }
    Ok(message)
}

/// A cursor over a message's bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    /// The next `n` bytes.
    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if self.0.len() < n {
            return Err(WireError::Malformed {
                what: "it ends too soon",
            });
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    /// The next little-endian u64.
    fn u64(&mut self) -> Result<u64, WireError> {
        let bytes = self.take(8)?;
        Ok(u64::from_le_bytes(bytes.try_into().unwrap_or_default()))
    }

    /// The next length-prefixed field.
    fn field(&mut self) -> Result<&'a [u8], WireError> {
        let n = self.u64()?;
        let n = usize::try_from(n).map_err(|_| WireError::Malformed {
            what: "a length is too large",
        })?;
        self.take(n)
    }
}

/// Every file and folder under `dir` ([`Message::Folder`]'s list), in path order.
pub fn pack(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, WireError> {
    let mut files = Vec::new();
    pack_into(dir, "", &mut files)?;
    Ok(files)
}

/// Appends the entries of `dir`, named under `prefix`, to `files`.
fn pack_into(
    dir: &Path,
    prefix: &str,
    files: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), WireError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WireError::Io { path, source }
    };
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)
        .map_err(io(dir))?
        .collect::<Result<_, _>>()
        .map_err(io(dir))?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().map_err(io(&path))?.is_dir() {
            files.push((format!("{name}/"), Vec::new()));
            pack_into(&path, &format!("{name}/"), files)?;
        } else {
            files.push((name, fs::read(&path).map_err(io(&path))?));
        }
    }
    Ok(())
}

/// Writes the files and folders of a [`Message::Folder`] under `dir` (which must
/// exist), refusing any path that would land outside it.
pub fn unpack(files: &[(String, Vec<u8>)], dir: &Path) -> Result<(), WireError> {
    for (name, bytes) in files {
        let relative = Path::new(name.trim_end_matches('/'));
        let inside = !name.is_empty()
            && relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !inside {
            return Err(WireError::Outside { path: name.clone() });
        }
        let path = dir.join(relative);
        let io = |source| WireError::Io {
            path: path.clone(),
            source,
        };
        if name.ends_with('/') {
            fs::create_dir_all(&path).map_err(io)?;
        } else {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(io)?;
            }
            fs::write(&path, bytes).map_err(io)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_reads_back_as_written() {
        let messages = [
            Message::Failed {
                code: 2,
                message: "s.toml: line 3: no such key «populaton»".into(),
            },
            Message::Go {
                scenario: b"name = \"x\"\n".to_vec(),
                slices: 3,
            },
            Message::Folder(vec![
                ("points/".into(), Vec::new()),
                ("points/a.csv".into(), vec![0, 255, 10]),
                ("empty.csv".into(), Vec::new()),
            ]),
            Message::Folder(Vec::new()),
        ];
        for m in messages {
            assert_eq!(decode(&encode(&m)).unwrap(), m);
        }
    }

    #[test]
    fn truncated_extended_and_foreign_messages_are_refused() {
        let bytes = encode(&Message::Go {
            scenario: vec![7; 20],
            slices: 2,
        });
        for cut in [0, 5, 8, 9, 17, bytes.len() - 1] {
            assert!(
                matches!(decode(&bytes[..cut]), Err(WireError::Malformed { .. })),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
        let mut other = bytes;
        other[7] = 9;
        assert!(decode(&other).is_err());
    }

    #[test]
    fn a_folder_packs_and_unpacks_byte_for_byte() {
        let from = tempfile::tempdir().unwrap();
        let nested = from.path().join("points/p-1");
        fs::create_dir_all(&nested).unwrap();
        fs::create_dir(from.path().join("empty")).unwrap();
        fs::write(from.path().join("summary.csv"), "a,b\n1,2\n").unwrap();
        fs::write(nested.join("plot.png"), [137, 80, 78, 71, 0, 1]).unwrap();
        let files = pack(from.path()).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "empty/",
                "points/",
                "points/p-1/",
                "points/p-1/plot.png",
                "summary.csv"
            ]
        );
        let to = tempfile::tempdir().unwrap();
        let Message::Folder(files) = decode(&encode(&Message::Folder(files))).unwrap() else {
            panic!("not a folder")
        };
        unpack(&files, to.path()).unwrap();
        assert!(to.path().join("empty").is_dir());
        assert_eq!(
            fs::read(to.path().join("points/p-1/plot.png")).unwrap(),
            [137, 80, 78, 71, 0, 1]
        );
        assert_eq!(
            fs::read_to_string(to.path().join("summary.csv")).unwrap(),
            "a,b\n1,2\n"
        );
        assert_eq!(pack(to.path()).unwrap(), pack(from.path()).unwrap());
    }

    #[test]
    fn paths_outside_the_folder_are_refused_and_nothing_lands_there() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("slice");
        fs::create_dir(&dir).unwrap();
        for bad in [
            "../evil.csv",
            "/etc/evil.csv",
            "a/../../evil.csv",
            "",
            "./x",
        ] {
            let files = vec![(bad.to_string(), b"x".to_vec())];
            assert!(
                matches!(unpack(&files, &dir), Err(WireError::Outside { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
    }
}
