//! Import of real networks from SNAP-style edge lists.
//!
//! Format: one edge per line as two non-negative integer node ids separated by spaces
//! or tabs; with `weights`, a third column is the tie's weight (a finite number, 0 or
//! more), else it is ignored like every further column (a timestamp); blank lines and lines
//! starting with `#` or `%` are comments. A file whose name ends in `.gz` is gunzipped
//! on the fly. The file is streamed a block at a time, never held whole in memory.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use flate2::read::MultiGzDecoder;
use rayon::prelude::*;

use super::csr::from_pair_blocks;
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

/// Bytes of the file parsed at a time (a block ends at a line's end).
const BLOCK: usize = 8 << 20;

/// Bytes of a block parsed by one task.
const CHUNK: usize = 256 << 10;

/// Reads a SNAP-style edge list (optionally gzipped, by a `.gz` suffix) into a network.
/// Node ids are remapped to 0..n in ascending order of original id, and the original ids
/// kept in `labels`, so results can be reported in the file's own ids. When `directed`,
/// a line `u v` is an arc u→v and `incoming` holds the reverse adjacency; otherwise it is
/// an undirected tie. Self-loops and repeated edges are dropped. When `weighted`, the
/// third column is each tie's weight, kept in `weights` (and `incoming_weights` when
/// directed); a repeated edge keeps its largest weight.
///
/// The file is read in blocks of a few megabytes, each parsed in parallel chunks; the
/// ids are kept as u32 pairs (u64 only where an id needs it), remapped in place, and
/// the adjacency built by count then scatter.
pub fn read_edge_list(
    path: &Path,
    directed: bool,
    weighted: bool,
) -> Result<Network, EdgeListError> {
    read_edge_list_in(path, directed, weighted, BLOCK, CHUNK)
}

/// [`read_edge_list`] with blocks of `block` bytes parsed in chunks of `chunk` bytes.
fn read_edge_list_in(
    path: &Path,
    directed: bool,
    weighted: bool,
    block: usize,
    chunk: usize,
) -> Result<Network, EdgeListError> {
    let (blocks, weights) = read_blocks(path, weighted, block, chunk)?;
    let (labels, blocks) = remap(path, blocks)?;
    let n = labels.len();
    if let Some(weights) = weights {
        return weighted_network(directed, n, labels, blocks, weights);
    }
    let out = from_pair_blocks(n, &blocks, !directed);
    drop(blocks);
    let network = if directed {
        Network {
            incoming: Some(out.transpose()),
            out,
            ..Network::default()
        }
    } else {
        Network::undirected(out)
    };
    Ok(Network {
        labels: Some(labels),
        ..network
    })
}

/// One block's edges: their ids as u32 when every one fits, else as u64.
enum Ids {
    /// Every id below 2^32.
    Narrow(Vec<[u32; 2]>),
    /// Some id of 2^32 or more.
    Wide(Vec<[u64; 2]>),
}

impl Ids {
    /// Appends an edge, turning to u64 ids when one needs it.
    fn push(&mut self, u: u64, v: u64) {
        match self {
            Ids::Narrow(p) if u.max(v) <= u64::from(u32::MAX) => p.push([u as u32, v as u32]),
            Ids::Narrow(p) => {
                let mut wide: Vec<[u64; 2]> =
                    p.iter().map(|&[a, b]| [a.into(), b.into()]).collect();
                wide.push([u, v]);
                *self = Ids::Wide(wide);
            }
            Ids::Wide(p) => p.push([u, v]),
        }
    }

    /// Gives back capacity beyond the edges held.
    fn shrink_to_fit(&mut self) {
        match self {
            Ids::Narrow(p) => p.shrink_to_fit(),
            Ids::Wide(p) => p.shrink_to_fit(),
        }
    }

    /// Number of edges.
    fn len(&self) -> usize {
        match self {
            Ids::Narrow(p) => p.len(),
            Ids::Wide(p) => p.len(),
        }
    }
}

/// The labels (original ids, ascending) and each block's pairs as indices into them.
type Remapped = (Vec<u64>, Vec<Vec<[u32; 2]>>);

/// The distinct original ids of the edges' ends, ascending, and each block's pairs
/// turned into indices into them; or an error when there is no edge or more than 2^32
/// ids. Ids below 2^32 that are not too sparse are ranked through a bitmap with a
/// count per 64-bit word; others are sorted and found by binary search.
fn remap(path: &Path, blocks: Vec<Ids>) -> Result<Remapped, EdgeListError> {
    let edges: usize = blocks.iter().map(Ids::len).sum();
    if edges == 0 {
        return Err(EdgeListError::Empty {
            path: path.to_path_buf(),
        });
    }
    let narrow = blocks.iter().all(|b| matches!(b, Ids::Narrow(_)));
    let max = blocks
        .par_iter()
        .map(|b| match b {
            Ids::Narrow(p) => p.par_iter().map(|&[u, v]| u.max(v) as u64).max(),
            Ids::Wide(p) => p.par_iter().map(|&[u, v]| u.max(v)).max(),
        })
        .flatten()
        .max()
        .unwrap_or(0);
    // The bitmap and its counts take 1.5 bits per id up to the largest: at most 3 bytes
    // an edge with this bound.
    if narrow && max < 16 * edges as u64 + (1 << 16) {
        let mut blocks: Vec<Vec<[u32; 2]>> = blocks
            .into_iter()
            .map(|b| match b {
                Ids::Narrow(p) => p,
                // Not reached: every block is narrow.
                Ids::Wide(p) => p.iter().map(|&[u, v]| [u as u32, v as u32]).collect(),
            })
            .collect();
        let words: Vec<AtomicU64> = (0..max / 64 + 1)
            .into_par_iter()
            .map(|_| AtomicU64::new(0))
            .collect();
        blocks.par_iter().for_each(|p| {
            p.par_iter().for_each(|&[u, v]| {
                for id in [u, v] {
                    words[id as usize / 64].fetch_or(1u64 << (id % 64), Relaxed);
                }
            })
        });
        let words: Vec<u64> = words.into_iter().map(AtomicU64::into_inner).collect();
        let mut ranks = Vec::with_capacity(words.len());
        let mut labels = Vec::new();
        for (w, &bits) in words.iter().enumerate() {
            ranks.push(labels.len() as u32);
            let mut rest = bits;
            while rest != 0 {
                labels.push(w as u64 * 64 + u64::from(rest.trailing_zeros()));
                rest &= rest - 1;
            }
        }
        let rank = |id: u32| {
            let (w, bit) = (id as usize / 64, id % 64);
            ranks[w] + (words[w] & ((1u64 << bit) - 1)).count_ones()
        };
        blocks.par_iter_mut().for_each(|p| {
            p.par_iter_mut()
                .for_each(|pair| *pair = [rank(pair[0]), rank(pair[1])])
        });
        labels.shrink_to_fit();
        return Ok((labels, blocks));
    }
    let mut labels: Vec<u64> = Vec::with_capacity(2 * edges);
    for b in &blocks {
        match b {
            Ids::Narrow(p) => labels.par_extend(
                p.par_iter()
                    .flat_map_iter(|&[u, v]| [u64::from(u), u64::from(v)]),
            ),
            Ids::Wide(p) => labels.par_extend(p.par_iter().flat_map_iter(|&[u, v]| [u, v])),
        }
    }
    labels.par_sort_unstable();
    labels.dedup();
    labels.shrink_to_fit();
    let n = labels.len();
    if n > u32::MAX as usize + 1 {
        return Err(EdgeListError::Io {
            path: path.to_path_buf(),
            message: format!("{n} distinct node ids exceed the 2^32 that murmur supports"),
        });
    }
    let index = |id: u64| labels.binary_search(&id).unwrap_or_default() as u32;
    let blocks = blocks
        .into_iter()
        .map(|b| match b {
            Ids::Narrow(mut p) => {
                p.par_iter_mut().for_each(|pair| {
                    *pair = [index(pair[0].into()), index(pair[1].into())];
                });
                p
            }
            Ids::Wide(p) => p.par_iter().map(|&[u, v]| [index(u), index(v)]).collect(),
        })
        .collect();
    Ok((labels, blocks))
}

/// The network of weighted edges: like [`read_edge_list`]'s, with each arc's weight
/// aligned with the adjacency (both directions of an undirected tie carry its weight).
/// The weighted arcs are sorted, not counted and scattered.
fn weighted_network(
    directed: bool,
    n: usize,
    labels: Vec<u64>,
    blocks: Vec<Vec<[u32; 2]>>,
    weights: Vec<Vec<f32>>,
) -> Result<Network, EdgeListError> {
    let mut arcs: Vec<(u64, f32)> = Vec::new();
    for (pairs, weights) in blocks.into_iter().zip(weights) {
        arcs.par_extend(
            pairs
                .par_iter()
                .zip(weights.par_iter())
                .flat_map_iter(|(&[a, b], &w)| {
                    let back = (!directed).then_some((pack(b, a), w));
                    std::iter::once((pack(a, b), w)).chain(back)
                }),
        );
    }
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

/// Each block's edges, in file order, and when `weighted` their weights.
type Blocks = (Vec<Ids>, Option<Vec<Vec<f32>>>);

/// What one chunk of a block holds: its edges, its weights, how many lines it has, and
/// the first malformed line (its 1-based number within the chunk, excerpt, reason).
struct Chunk {
    ids: Ids,
    weights: Vec<f32>,
    lines: usize,
    error: Option<(usize, String, &'static str)>,
}

/// Reads the file's edges (see [`Blocks`]) `block` bytes at a time, each block cut
/// at line ends into chunks of about `chunk` bytes parsed in parallel. Line numbers
/// in errors are exact: each chunk counts its lines and the counts are summed in order.
fn read_blocks(
    path: &Path,
    weighted: bool,
    block: usize,
    chunk: usize,
) -> Result<Blocks, EdgeListError> {
    let io_error = |e: std::io::Error| EdgeListError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = File::open(path).map_err(io_error)?;
    let gzipped = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("gz"));
    let mut reader: Box<dyn Read> = if gzipped {
        Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    };
    let mut blocks = Vec::new();
    let mut weights = weighted.then(Vec::new);
    let mut buf: Vec<u8> = Vec::with_capacity(block);
    let mut lines_before = 0;
    loop {
        // Fill up to a block (more when one line is longer than a block).
        let want = block.max(2 * buf.len()).max(1);
        let read = (&mut reader)
            .take((want - buf.len()) as u64)
            .read_to_end(&mut buf)
            .map_err(io_error)?;
        let end = read == 0;
        let cut = if end {
            buf.len()
        } else {
            match buf.iter().rposition(|&b| b == b'\n') {
                Some(last) => last + 1,
                None => continue,
            }
        };
        for c in parse_block(&buf[..cut], weighted, chunk) {
            if let Some((line, content, reason)) = c.error {
                return Err(EdgeListError::Malformed {
                    path: path.to_path_buf(),
                    line: lines_before + line,
                    content,
                    reason: reason.to_string(),
                });
            }
            lines_before += c.lines;
            blocks.push(c.ids);
            if let Some(weights) = weights.as_mut() {
                weights.push(c.weights);
            }
        }
        buf.drain(..cut);
        if end {
            return Ok((blocks, weights));
        }
    }
}

/// Parses `text` (whole lines, the last perhaps unterminated) in chunks of about
/// `chunk` bytes, each ending at a line's end, in parallel; the chunks in order.
fn parse_block(text: &[u8], weighted: bool, chunk: usize) -> Vec<Chunk> {
    let mut bounds = vec![0];
    let mut at = 0;
    while at < text.len() {
        let next = (at + chunk.max(1)).min(text.len());
        at = match text[next - 1..].iter().position(|&b| b == b'\n') {
            Some(p) => next + p,
            None => text.len(),
        };
        bounds.push(at);
    }
    bounds
        .par_windows(2)
        .map(|w| parse_chunk(&text[w[0]..w[1]], weighted))
        .collect()
}

/// Parses whole lines, stopping at the first malformed one.
fn parse_chunk(text: &[u8], weighted: bool) -> Chunk {
    let mut out = Chunk {
        ids: Ids::Narrow(Vec::with_capacity(text.len() / 16)),
        weights: Vec::new(),
        lines: 0,
        error: None,
    };
    // A chunk ends with a newline except perhaps the file's last line.
    let body = text.strip_suffix(b"\n").unwrap_or(text);
    if text.is_empty() {
        return out;
    }
    for line in body.split(|&b| b == b'\n') {
        out.lines += 1;
        let text = line.trim_ascii();
        if text.is_empty() || text[0] == b'#' || text[0] == b'%' {
            continue;
        }
        let parsed = parse_pair(text).and_then(|pair| {
            if weighted {
                parse_weight(text).map(|w| {
                    out.weights.push(w);
                    pair
                })
            } else {
                Ok(pair)
            }
        });
        match parsed {
            Ok((u, v)) => out.ids.push(u, v),
            Err(reason) => {
                out.error = Some((out.lines, excerpt(text), reason));
                return out;
            }
        }
    }
    out.ids.shrink_to_fit();
    out
}

/// The two leading ids of a non-comment line (trimmed, so it starts with an id), or
/// what was expected instead.
fn parse_pair(text: &[u8]) -> Result<(u64, u64), &'static str> {
    let field_end = |from: usize| {
        text[from..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(text.len(), |p| from + p)
    };
    let first = field_end(0);
    let second = text[first..]
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|p| first + p)
        .ok_or(EXPECTED)?;
    let u = parse_id(&text[..first])?;
    Ok((u, parse_id(&text[second..field_end(second)])?))
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
    let mut id = 0u64;
    let mut fits = true;
    for &d in field {
        if !d.is_ascii_digit() {
            return Err(EXPECTED);
        }
        match id
            .checked_mul(10)
            .and_then(|id| id.checked_add(u64::from(d - b'0')))
        {
            Some(next) => id = next,
            None => fits = false,
        }
    }
    match (field.is_empty(), fits) {
        (true, _) => Err(EXPECTED),
        (false, false) => Err("expected node ids no larger than 18446744073709551615"),
        (false, true) => Ok(id),
    }
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

    /// The network of `text` built the simple way: a serial parse into u64 pairs, a
    /// sorted set of labels, and sorted packed arcs.
    fn reference(text: &str, directed: bool) -> Network {
        let pairs: Vec<(u64, u64)> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('%'))
            .map(|l| {
                let mut f = l
                    .split_ascii_whitespace()
                    .map(|x| x.parse::<u64>().unwrap());
                (f.next().unwrap(), f.next().unwrap())
            })
            .collect();
        let labels: Vec<u64> = pairs
            .iter()
            .flat_map(|&(u, v)| [u, v])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let index = |id| labels.binary_search(&id).unwrap() as u32;
        let arcs = pairs.iter().flat_map(|&(u, v)| {
            let (a, b) = (index(u), index(v));
            let back = (!directed).then_some(pack(b, a));
            std::iter::once(pack(a, b)).chain(back)
        });
        let out = Csr::from_arcs(labels.len(), arcs.collect());
        Network {
            incoming: directed.then(|| out.transpose()),
            out,
            labels: Some(labels),
            ..Network::default()
        }
    }

    /// A random edge list of `lines` lines with comments, blank lines, tabs, CRLF,
    /// repeats and self-loops; ids dense below `ids` plus an offset of `offset`.
    fn random_text(lines: usize, ids: u64, offset: u64, seed: u64) -> String {
        let mut state = seed;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % bound
        };
        let mut text = String::new();
        for i in 0..lines {
            match next(20) {
                0 => text.push_str("# a comment 1 2\n"),
                1 => text.push('\n'),
                2 => text.push_str(&format!("{0}\t{0}\r\n", offset + next(ids))),
                3 => text.push_str(&format!(
                    "  {} {} 1700000000\n",
                    offset + next(ids),
                    offset + i as u64 % ids
                )),
                _ => text.push_str(&format!("{} {}\n", offset + next(ids), offset + next(ids))),
            }
        }
        text.push_str(&format!("{} {}", offset, offset + ids - 1));
        text
    }

    #[test]
    fn parallel_reader_matches_a_simple_reference() {
        let dir = tempfile::tempdir().unwrap();
        // Dense ids (ranked by bitmap), sparse ids and ids beyond 2^32 (sorted labels).
        for (ids, offset) in [
            (300, 0),
            (5_000, 7),
            (40, 1 << 40),
            (200, u64::from(u32::MAX) - 100),
        ] {
            let text = random_text(3_000, ids, offset, ids + offset);
            let path = write(&dir, "random.txt", &text);
            for directed in [false, true] {
                let want = reference(&text, directed);
                for (block, chunk) in [(BLOCK, CHUNK), (4_096, 300), (64, 1), (7, 3)] {
                    let got = read_edge_list_in(&path, directed, false, block, chunk).unwrap();
                    let case = format!("ids {ids}+{offset}, directed {directed}, {block}/{chunk}");
                    assert_eq!(got.out, want.out, "{case}");
                    assert_eq!(got.incoming, want.incoming, "{case}");
                    assert_eq!(got.labels, want.labels, "{case}");
                }
            }
        }
    }

    #[test]
    fn a_bad_line_deep_in_a_many_chunk_file_reports_its_exact_number() {
        let dir = tempfile::tempdir().unwrap();
        for (bad, weighted) in [("17 x 1", false), ("3", false), ("4 5 -2", true)] {
            let mut text = String::new();
            for i in 0..5_000 {
                text.push_str(&match i % 7 {
                    0 => "# comment\n".to_string(),
                    1 => "\r\n".to_string(),
                    _ => format!("{}\t{} 0.5\n", i % 97, i % 89),
                });
            }
            text.push_str(&format!("{bad}\n1 2 3\n8 x\n"));
            let path = write(&dir, "deep.txt", &text);
            for (block, chunk) in [(BLOCK, CHUNK), (1_000, 50), (100, 7), (3, 1)] {
                let err = read_edge_list_in(&path, false, weighted, block, chunk).unwrap_err();
                let EdgeListError::Malformed { line, content, .. } = &err else {
                    panic!("{err:?}")
                };
                assert_eq!((*line, content.as_str()), (5_001, bad), "{block}/{chunk}");
            }
        }
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
