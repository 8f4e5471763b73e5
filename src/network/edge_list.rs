//! Import of real networks from SNAP-style edge lists.
//!
//! Format: one edge per line as two non-negative integer node ids separated by spaces
//! or tabs; with `weights`, a third column is the tie's weight (a finite number, 0 or
//! more), else it is ignored like every further column (a timestamp); blank lines and lines
//! starting with `#` or `%` are comments. A file whose name ends in `.gz` is gunzipped
//! on the fly. The file is streamed line by line, never held whole in memory.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use rayon::prelude::*;

use super::{Csr, Network, pack};

/// What the id columns must hold, quoted in every malformed-line message.
const EXPECTED: &str =
    "expected two node ids (whole numbers, 0 or more) separated by spaces or tabs";

/// What the weight column must hold, quoted when it does not.
const EXPECTED_WEIGHT: &str = "expected a tie weight in the third column (a finite number, 0 or more, e.g. 1 or 0.25) because network.weights = true";

/// Longest excerpt of an offending line quoted in an error, in characters.
const EXCERPT: usize = 80;

/// Why an edge-list file could not be turned into a network.
#[derive(Debug, thiserror::Error)]
pub enum EdgeListError {
    /// The file is missing or could not be read (or decompressed).
    #[error("could not read edge list \"{}\": {message}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong, as the operating system or decompressor reported it.
        message: String,
    },
    /// A line is not a pair of node ids.
    #[error("edge list \"{}\", line {line}: {reason}, found \"{content}\"", .path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based number of the offending line.
        line: usize,
        /// The offending line, trimmed and cut to about 80 characters.
        content: String,
        /// What was expected instead.
        reason: String,
    },
    /// The file holds no edge at all, only blank or comment lines.
    #[error("edge list \"{}\" contains no edges (every line is blank or a comment)", .path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
}

/// Reads a SNAP-style edge list (optionally gzipped, by a `.gz` suffix) into a network.
/// Node ids are remapped to 0..n in ascending order of original id, and the original ids
/// kept in `labels`, so results can be reported in the file's own ids. When `directed`,
/// a line `u v` is an arc u→v and `incoming` holds the reverse adjacency; otherwise it is
/// an undirected tie. Self-loops and repeated edges are dropped. When `weighted`, the
/// third column is each tie's weight, kept in `weights` (and `incoming_weights` when
/// directed); a repeated edge keeps its largest weight.
pub fn read_edge_list(
    path: &Path,
    directed: bool,
    weighted: bool,
) -> Result<Network, EdgeListError> {
    let (edges, weights) = read_pairs(path, weighted)?;
    if let Some(weights) = weights {
        return weighted_network(path, directed, edges, weights);
    }
    let labels = labels_of(path, &edges)?;
    let n = labels.len();
    let index = |id: u64| labels.binary_search(&id).unwrap_or_default() as u32;

    let network = if directed {
        let arcs: Vec<u64> = edges
            .par_iter()
            .map(|&(u, v)| pack(index(u), index(v)))
            .collect();
        drop(edges);
        let out = Csr::from_arcs(n, arcs);
        Network {
            incoming: Some(out.transpose()),
            out,
            ..Network::default()
        }
    } else {
        let arcs: Vec<u64> = edges
            .par_iter()
            .flat_map_iter(|&(u, v)| {
                let (a, b) = (index(u), index(v));
                [pack(a, b), pack(b, a)]
            })
            .collect();
        drop(edges);
        Network::undirected(Csr::from_arcs(n, arcs))
    };
    Ok(Network {
        labels: Some(labels),
        ..network
    })
}

/// The distinct original ids of the edges' ends, ascending, or an error when there are
/// none or more than 2^32.
fn labels_of(path: &Path, edges: &[(u64, u64)]) -> Result<Vec<u64>, EdgeListError> {
    if edges.is_empty() {
        return Err(EdgeListError::Empty {
            path: path.to_path_buf(),
        });
    }
    let mut labels: Vec<u64> = edges.par_iter().flat_map_iter(|&(u, v)| [u, v]).collect();
    labels.par_sort_unstable();
    labels.dedup();
    let n = labels.len();
    if n > u32::MAX as usize + 1 {
        return Err(EdgeListError::Io {
            path: path.to_path_buf(),
            message: format!("{n} distinct node ids exceed the 2^32 that murmur supports"),
        });
    }
    Ok(labels)
}

/// The network of weighted edges: like [`read_edge_list`]'s, with each arc's weight
/// aligned with the adjacency (both directions of an undirected tie carry its weight).
fn weighted_network(
    path: &Path,
    directed: bool,
    edges: Vec<(u64, u64)>,
    weights: Vec<f32>,
) -> Result<Network, EdgeListError> {
    let labels = labels_of(path, &edges)?;
    let n = labels.len();
    let index = |id: u64| labels.binary_search(&id).unwrap_or_default() as u32;
    let arcs: Vec<(u64, f32)> = edges
        .par_iter()
        .zip(weights.par_iter())
        .flat_map_iter(|(&(u, v), &w)| {
            let (a, b) = (index(u), index(v));
            let back = (!directed).then_some((pack(b, a), w));
            std::iter::once((pack(a, b), w)).chain(back)
        })
        .collect();
    drop(edges);
    let (out, weights) = Csr::from_weighted_arcs(n, arcs);
    let network = if directed {
        let (incoming, incoming_weights) = out.transpose_weighted(&weights);
        Network {
            incoming: Some(incoming),
            incoming_weights: Some(incoming_weights),
            ..Network::default()
        }
    } else {
        Network::default()
    };
    Ok(Network {
        out,
        weights: Some(weights),
        labels: Some(labels),
        ..network
    })
}

/// The id pairs of every edge line of the file, in file order, and when `weighted`
/// their weights.
type Edges = (Vec<(u64, u64)>, Option<Vec<f32>>);

/// Reads the file's edges (see [`Edges`]).
fn read_pairs(path: &Path, weighted: bool) -> Result<Edges, EdgeListError> {
    let io_error = |e: std::io::Error| EdgeListError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = File::open(path).map_err(io_error)?;
    let gzipped = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("gz"));
    let mut reader: Box<dyn BufRead> = if gzipped {
        Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, file))
    };

    let mut edges = Vec::new();
    let mut weights = weighted.then(Vec::new);
    let mut buf = Vec::with_capacity(128);
    let mut line = 0;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf).map_err(io_error)? == 0 {
            return Ok((edges, weights));
        }
        line += 1;
        let text = buf.trim_ascii();
        if text.is_empty() || text[0] == b'#' || text[0] == b'%' {
            continue;
        }
        let parsed = parse_pair(text).and_then(|pair| match weights.as_mut() {
            Some(weights) => parse_weight(text).map(|w| {
                weights.push(w);
                pair
            }),
            None => Ok(pair),
        });
        match parsed {
            Ok(pair) => edges.push(pair),
            Err(reason) => {
                return Err(EdgeListError::Malformed {
                    path: path.to_path_buf(),
                    line,
                    content: excerpt(text),
                    reason: reason.to_string(),
                });
            }
        }
    }
}

/// The two leading ids of a non-comment line, or what was expected instead.
fn parse_pair(text: &[u8]) -> Result<(u64, u64), &'static str> {
    let mut fields = text
        .split(|b| b.is_ascii_whitespace())
        .filter(|f| !f.is_empty());
    let (Some(u), Some(v)) = (fields.next(), fields.next()) else {
        return Err(EXPECTED);
    };
    Ok((parse_id(u)?, parse_id(v)?))
}

/// The third column of a line whose first two are ids: a finite weight, 0 or more.
fn parse_weight(text: &[u8]) -> Result<f32, &'static str> {
    let field = text
        .split(|b| b.is_ascii_whitespace())
        .filter(|f| !f.is_empty())
        .nth(2)
        .ok_or(EXPECTED_WEIGHT)?;
    std::str::from_utf8(field)
        .ok()
        .and_then(|f| f.parse::<f32>().ok())
        .filter(|w| w.is_finite() && *w >= 0.0)
        .ok_or(EXPECTED_WEIGHT)
}

/// A node id: ASCII digits only, fitting in 64 bits.
fn parse_id(field: &[u8]) -> Result<u64, &'static str> {
    if field.is_empty() || !field.iter().all(u8::is_ascii_digit) {
        return Err(EXPECTED);
    }
    field.iter().try_fold(0u64, |id, &d| {
        id.checked_mul(10)
            .and_then(|id| id.checked_add(u64::from(d - b'0')))
            .ok_or("expected node ids no larger than 18446744073709551615")
    })
}

/// The line as text, cut to about [`EXCERPT`] characters.
fn excerpt(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    if text.chars().count() <= EXCERPT {
        text.into_owned()
    } else {
        let mut cut: String = text.chars().take(EXCERPT - 3).collect();
        cut.push_str("...");
        cut
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    const SMALL: &str =
        "# a comment\n% another\n\n10 20\n20\t30   7.5\n  30 10 1 2 3 \r\n10 10\n20 10\n";

    fn check_small(g: &Network) {
        assert_eq!(g.nodes(), 3);
        assert!(!g.directed());
        assert_eq!(g.labels.as_deref(), Some(&[10, 20, 30][..]));
        assert_eq!(g.edges(), 3);
        assert_eq!(g.out.neighbours(0), &[1, 2]);
        assert_eq!(g.out.neighbours(1), &[0, 2]);
        assert_eq!(g.out.neighbours(2), &[0, 1]);
    }

    #[test]
    fn reads_comments_tabs_blank_lines_and_remaps_ids() {
        let dir = tempfile::tempdir().unwrap();
        let g = read_edge_list(&write(&dir, "small.txt", SMALL), false, false).unwrap();
        check_small(&g);
    }

    #[test]
    fn reads_gzipped_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("small.txt.gz");
        let mut gz = GzEncoder::new(File::create(&path).unwrap(), Compression::default());
        gz.write_all(SMALL.as_bytes()).unwrap();
        gz.finish().unwrap();
        check_small(&read_edge_list(&path, false, false).unwrap());
    }

    #[test]
    fn directed_files_keep_direction() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "directed.txt", "5 7\n5 9\n9 7\n7 7\n5 7\n");
        let g = read_edge_list(&path, true, false).unwrap();
        assert!(g.directed());
        assert_eq!(g.nodes(), 3);
        assert_eq!(g.edges(), 3);
        assert_eq!(g.labels.as_deref(), Some(&[5, 7, 9][..]));
        assert_eq!(g.out.neighbours(0), &[1, 2]);
        assert_eq!(g.out.neighbours(1), &[] as &[u32]);
        assert_eq!(g.out.neighbours(2), &[1]);
        assert_eq!(g.incoming().neighbours(0), &[] as &[u32]);
        assert_eq!(g.incoming().neighbours(1), &[0, 2]);
        assert_eq!(g.incoming().neighbours(2), &[0]);
    }

    #[test]
    fn malformed_line_reports_its_number() {
        let dir = tempfile::tempdir().unwrap();
        for (text, bad) in [
            ("# c\n1 2\n\n3 4\n5 6\n7 8\n12 abc\n9 10\n", "12 abc"),
            ("1 2\n\n\n\n\n\n-3 4\n", "-3 4"),
            (
                "1 2\n\n\n\n\n\n99999999999999999999 4\n",
                "99999999999999999999 4",
            ),
            ("1 2\n# x\n# x\n# x\n# x\n# x\n42\n", "42"),
        ] {
            let path = write(&dir, "bad.txt", text);
            let err = read_edge_list(&path, false, false).unwrap_err();
            match &err {
                EdgeListError::Malformed { line, content, .. } => {
                    assert_eq!(*line, 7, "{text:?}");
                    assert_eq!(content, bad);
                }
                other => panic!("{other:?}"),
            }
            let message = err.to_string();
            assert!(message.contains("bad.txt\", line 7: expected"), "{message}");
            assert!(message.ends_with(&format!("found \"{bad}\"")), "{message}");
        }
        let long = format!("1 {}\n", "x".repeat(500));
        let err = read_edge_list(&write(&dir, "long.txt", &long), false, false).unwrap_err();
        let EdgeListError::Malformed { content, line, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!(line, 1);
        assert!(content.chars().count() <= 80 && content.ends_with("..."));
    }

    #[test]
    fn weights_are_read_exactly_and_a_repeated_tie_keeps_the_largest() {
        let dir = tempfile::tempdir().unwrap();
        let text = "# u v w\n10 20 0.25\n20 30 2 99\n30 10 0\n20 10 0.75\n10 10 5\n";
        let path = write(&dir, "weighted.txt", text);
        let g = read_edge_list(&path, false, true).unwrap();
        assert_eq!(g.edges(), 3);
        assert_eq!(g.out.neighbours(0), &[1, 2]);
        assert_eq!(
            g.weights.as_deref(),
            Some(&[0.75, 0.0, 0.75, 2.0, 0.0, 2.0][..])
        );
        assert_eq!(g.incoming_weights(), g.weights.as_deref());
        assert_eq!(g.max_weight(), Some(2.0));
        let d = read_edge_list(&path, true, true).unwrap();
        assert_eq!(d.out.neighbours(0), &[1]);
        assert_eq!(d.weights.as_deref(), Some(&[0.25, 0.75, 2.0, 0.0][..]));
        assert_eq!(d.incoming().neighbours(0), &[1, 2]);
        assert_eq!(d.incoming_weights(), Some(&[0.75, 0.0, 0.25, 2.0][..]));
        // Unweighted, the same file has no weights and the same ties.
        let plain = read_edge_list(&path, false, false).unwrap();
        assert_eq!((plain.weights, plain.out), (None, g.out));
    }

    #[test]
    fn a_bad_weight_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["3 4", "3 4 -1", "3 4 heavy", "3 4 nan", "3 4 inf"] {
            let path = write(&dir, "w.txt", &format!("1 2 1\n{bad}\n"));
            let err = read_edge_list(&path, false, true).unwrap_err();
            let EdgeListError::Malformed {
                line,
                content,
                reason,
                ..
            } = &err
            else {
                panic!("{err:?}")
            };
            assert_eq!((*line, content.as_str()), (2, bad));
            assert!(
                reason.contains("tie weight in the third column"),
                "{reason}"
            );
            assert!(read_edge_list(&path, false, false).is_ok());
        }
    }

    #[test]
    fn missing_file_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nowhere.txt");
        let err = read_edge_list(&path, false, false).unwrap_err();
        assert!(matches!(err, EdgeListError::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("nowhere.txt"), "{err}");
        // Garbage behind a .gz name is an I/O (decompression) error too.
        let path = write(&dir, "fake.txt.gz", "1 2\n");
        let err = read_edge_list(&path, false, false).unwrap_err();
        assert!(matches!(err, EdgeListError::Io { .. }), "{err:?}");
    }

    #[test]
    fn only_comments_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "comments.txt", "# nothing\n\n% here\n   \n");
        let err = read_edge_list(&path, false, false).unwrap_err();
        assert!(matches!(err, EdgeListError::Empty { .. }), "{err:?}");
        assert!(err.to_string().contains("comments.txt"), "{err}");
        let path = write(&dir, "zero.txt", "");
        assert!(matches!(
            read_edge_list(&path, true, false),
            Err(EdgeListError::Empty { .. })
        ));
    }

    /// The shared SNAP data file, if present in this checkout.
    fn snap(name: &str) -> Option<PathBuf> {
        [
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/data")
                .join(name),
            Path::new("/work/shared/data").join(name),
        ]
        .into_iter()
        .find(|p| p.exists())
    }

    #[test]
    fn reads_snap_reference_networks() {
        if let Some(path) = snap("facebook_combined.txt") {
            let g = read_edge_list(&path, false, false).unwrap();
            assert_eq!((g.nodes(), g.edges()), (4_039, 88_234));
        }
        if let Some(path) = snap("CA-GrQc.txt") {
            let g = read_edge_list(&path, false, false).unwrap();
            assert_eq!((g.nodes(), g.edges()), (5_242, 14_484));
        }
        if let Some(path) = snap("email-Eu-core.txt") {
            let g = read_edge_list(&path, true, false).unwrap();
            assert_eq!(g.nodes(), 1_005);
            assert_eq!(g.incoming().arcs(), g.out.arcs());
        }
    }
}
