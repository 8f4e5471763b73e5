//! A network's export (docs/OUTPUTS.md, `murmur network`): `edges.csv` and `nodes.csv`
//! for spreadsheets and R, `network.graphml` for Gephi, Cytoscape and networkx. Nodes
//! are named by their original ids when the network was read from a file, else 0..n;
//! an undirected tie is written once. Every writer streams through a `BufWriter`,
//! formatting numbers straight into it, with no string per edge.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::{OutputError, io};
use crate::network::{InitialStatus, Network, NodeAttributes, STATUSES};

/// The network's ties: one row per edge (per arc when directed).
pub const EDGES: &str = "edges.csv";
/// The network's nodes and their attributes.
pub const NODES: &str = "nodes.csv";
/// The network as GraphML.
pub const GRAPHML: &str = "network.graphml";

/// The columns of `nodes.csv` every export has, in order; a directed network adds
/// `in_degree` after them, and a node file's other columns (`involvement`, `persona`,
/// `status`, `member`) follow as it gives them, empty where it is silent.
pub const NODE_BASE_COLUMNS: [&str; 3] = ["id", "community", "degree"];

/// Estimated bytes of the three files of a network of `nodes` agents and `edges`
/// edges, for the disk check: about 40 bytes per edge in `edges.csv` and 120 in
/// GraphML (with a weight), and 250 per node in both.
pub fn estimate_bytes(nodes: u64, edges: u64) -> u64 {
    edges
        .saturating_mul(160)
        .saturating_add(nodes.saturating_mul(250))
}

/// Writes `edges.csv`, `nodes.csv` and `network.graphml` of `network` into `dir`.
pub fn write_network(dir: &Path, network: &Network) -> Result<(), OutputError> {
    write_edges(&dir.join(EDGES), network)?;
    write_nodes(&dir.join(NODES), network)?;
    write_graphml(&dir.join(GRAPHML), network)
}

/// A buffered writer of `path` (finished by [`finish`]).
fn create(path: &Path) -> Result<BufWriter<fs::File>, OutputError> {
    let file = fs::File::create(path).map_err(io(path))?;
    Ok(BufWriter::with_capacity(1 << 16, file))
}

/// Flushes and syncs a finished file.
fn finish(path: &Path, w: BufWriter<fs::File>) -> Result<(), OutputError> {
    let file = w.into_inner().map_err(|e| io(path)(e.into_error()))?;
    file.sync_all().map_err(io(path))
}

/// The name of agent `i` in the export: its original id, or `i`.
#[inline]
fn id(network: &Network, i: usize) -> u64 {
    network.labels.as_ref().map_or(i as u64, |l| l[i])
}

/// Calls `f(u, v, arc)` for every edge: every arc of a directed network, the arcs with
/// u < v of an undirected one; `arc` indexes `out.targets` (and `weights`).
fn for_each_edge(
    network: &Network,
    mut f: impl FnMut(usize, usize, usize) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let directed = network.directed();
    for u in 0..network.nodes() {
        let first = network.out.offsets[u] as usize;
        for (k, &v) in network.out.neighbours(u as u32).iter().enumerate() {
            if directed || u < v as usize {
                f(u, v as usize, first + k)?;
            }
        }
    }
    Ok(())
}

/// Writes `edges.csv`: `source,target` and, for a weighted network, `weight`.
pub fn write_edges(path: &Path, network: &Network) -> Result<(), OutputError> {
    let mut w = create(path)?;
    let weights = network.weights.as_deref();
    let result = (|| {
        w.write_all(if weights.is_some() {
            b"source,target,weight\n"
        } else {
            b"source,target\n"
        })?;
        for_each_edge(network, |u, v, arc| {
            write!(w, "{},{}", id(network, u), id(network, v))?;
            if let Some(weights) = weights {
                write!(w, ",{}", weights[arc])?;
            }
            w.write_all(b"\n")
        })
    })();
    result.map_err(io(path))?;
    finish(path, w)
}

/// A node file's columns after `id` and `community`, which `nodes.csv` repeats.
fn attribute_columns(attributes: Option<&NodeAttributes>) -> Vec<&str> {
    let Some(a) = attributes else {
        return Vec::new();
    };
    a.columns
        .iter()
        .map(String::as_str)
        .filter(|c| *c != "community")
        .collect()
}

/// Agent `i`'s value of a node file's column `column`, as the file would say it (empty
/// where it is silent); `personas` are the file's persona names.
fn attribute<'a>(a: &'a NodeAttributes, column: &str, i: usize) -> &'a str {
    let flag = |v: Option<bool>, yes, no| v.map_or("", |v| if v { yes } else { no });
    match column {
        "involvement" => flag(a.involvement[i], "high", "low"),
        "member" => flag(a.member[i], "true", "false"),
        "persona" => a.persona[i].map_or("", |p| a.personas[p as usize].0.as_str()),
        "status" => a.status[i].map_or("", status_name),
        _ => "",
    }
}

/// The node-file word of an initial status.
fn status_name(s: InitialStatus) -> &'static str {
    STATUSES[s as usize]
}

/// Agent `i`'s community as the export names it: the node file's label (empty for an
/// agent it does not label), else the community number, else nothing.
fn community(network: &Network, i: usize, out: &mut impl Write) -> std::io::Result<bool> {
    let Some(c) = network.community.as_ref().map(|c| c[i] as usize) else {
        return Ok(false);
    };
    match network.attributes.as_ref().filter(|a| a.has("community")) {
        Some(a) => match a.community_labels.get(c) {
            Some(label) => out.write_all(label.as_bytes()).map(|()| true),
            None => Ok(false),
        },
        None => write!(out, "{c}").map(|()| true),
    }
}

/// Writes `nodes.csv`: [`NODE_BASE_COLUMNS`], `in_degree` when directed, then the node
/// file's attribute columns.
pub fn write_nodes(path: &Path, network: &Network) -> Result<(), OutputError> {
    let mut w = create(path)?;
    let attributes = network.attributes.as_ref();
    let columns = attribute_columns(attributes);
    let directed = network.directed();
    let result = (|| {
        w.write_all(NODE_BASE_COLUMNS.join(",").as_bytes())?;
        if directed {
            w.write_all(b",in_degree")?;
        }
        for c in &columns {
            write!(w, ",{c}")?;
        }
        w.write_all(b"\n")?;
        let mut label = Vec::new();
        for i in 0..network.nodes() {
            write!(w, "{},", id(network, i))?;
            label.clear();
            community(network, i, &mut label)?;
            write_csv_cell(&mut w, &label)?;
            write!(w, ",{}", network.out.degree(i as u32))?;
            if directed {
                write!(w, ",{}", network.incoming().degree(i as u32))?;
            }
            for c in &columns {
                w.write_all(b",")?;
                let value = attributes.map_or("", |a| attribute(a, c, i));
                write_csv_cell(&mut w, value.as_bytes())?;
            }
            w.write_all(b"\n")?;
        }
        Ok(())
    })();
    result.map_err(io(path))?;
    finish(path, w)
}

/// A CSV cell, quoted when it holds a comma, quote or line break.
fn write_csv_cell(w: &mut impl Write, cell: &[u8]) -> std::io::Result<()> {
    if !cell
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        return w.write_all(cell);
    }
    w.write_all(b"\"")?;
    for &b in cell {
        if b == b'"' {
            w.write_all(b"\"\"")?;
        } else {
            w.write_all(&[b])?;
        }
    }
    w.write_all(b"\"")
}

/// Text escaped for XML character data and attribute values.
fn write_xml_text(w: &mut impl Write, text: &[u8]) -> std::io::Result<()> {
    for &b in text {
        match b {
            b'&' => w.write_all(b"&amp;")?,
            b'<' => w.write_all(b"&lt;")?,
            b'>' => w.write_all(b"&gt;")?,
            b'"' => w.write_all(b"&quot;")?,
            _ => w.write_all(&[b])?,
        }
    }
    Ok(())
}

/// Writes `network.graphml`: a `<key>` for each node attribute (`community`, `degree`,
/// `in_degree` when directed, a node file's columns as strings) and for `weight` of a
/// weighted network; `edgedefault` is `directed` or `undirected`; node ids are the
/// export's ids (original ids of a file's network).
pub fn write_graphml(path: &Path, network: &Network) -> Result<(), OutputError> {
    let mut w = create(path)?;
    let attributes = network.attributes.as_ref();
    let columns = attribute_columns(attributes);
    let directed = network.directed();
    let numeric =
        attributes.is_none_or(|a| a.community_labels.iter().all(|l| l.parse::<i64>().is_ok()));
    let result = (|| {
        w.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
              <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
              xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
              xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
              http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        )?;
        let key = |w: &mut BufWriter<fs::File>, name: &str, what: &str, ty: &str| {
            writeln!(
                w,
                "  <key id=\"{name}\" for=\"{what}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
            )
        };
        if network.community.is_some() {
            key(
                &mut w,
                "community",
                "node",
                if numeric { "long" } else { "string" },
            )?;
        }
        key(&mut w, "degree", "node", "long")?;
        if directed {
            key(&mut w, "in_degree", "node", "long")?;
        }
        for c in &columns {
            key(&mut w, c, "node", "string")?;
        }
        if network.weights.is_some() {
            key(&mut w, "weight", "edge", "double")?;
        }
        let edgedefault = if directed { "directed" } else { "undirected" };
        writeln!(w, "  <graph id=\"G\" edgedefault=\"{edgedefault}\">")?;
        let mut label = Vec::new();
        for i in 0..network.nodes() {
            write!(w, "    <node id=\"{}\">", id(network, i))?;
            label.clear();
            if community(network, i, &mut label)? && !label.is_empty() {
                w.write_all(b"<data key=\"community\">")?;
                write_xml_text(&mut w, &label)?;
                w.write_all(b"</data>")?;
            }
            write!(
                w,
                "<data key=\"degree\">{}</data>",
                network.out.degree(i as u32)
            )?;
            if directed {
                write!(
                    w,
                    "<data key=\"in_degree\">{}</data>",
                    network.incoming().degree(i as u32)
                )?;
            }
            for c in &columns {
                let value = attributes.map_or("", |a| attribute(a, c, i));
                if !value.is_empty() {
                    write!(w, "<data key=\"{c}\">")?;
                    write_xml_text(&mut w, value.as_bytes())?;
                    w.write_all(b"</data>")?;
                }
            }
            w.write_all(b"</node>\n")?;
        }
        let weights = network.weights.as_deref();
        for_each_edge(network, |u, v, arc| {
            write!(
                w,
                "    <edge source=\"{}\" target=\"{}\"",
                id(network, u),
                id(network, v)
            )?;
            match weights {
                Some(weights) => {
                    writeln!(w, "><data key=\"weight\">{}</data></edge>", weights[arc])
                }
                None => w.write_all(b"/>\n"),
            }
        })?;
        w.write_all(b"  </graph>\n</graphml>\n")
    })();
    result.map_err(io(path))?;
    finish(path, w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{Csr, pack};

    fn small(directed: bool) -> Network {
        let arcs = vec![(pack(0, 1), 0.5), (pack(1, 2), 2.0), (pack(2, 0), 0.0)];
        let mut both = arcs.clone();
        if !directed {
            both.extend(
                arcs.iter()
                    .map(|&(a, w)| (pack(a as u32, (a >> 32) as u32), w)),
            );
        }
        let (out, weights) = Csr::from_weighted_arcs(3, both);
        let mut g = Network {
            labels: Some(vec![10, 20, 30]),
            community: Some(vec![0, 1, 1]),
            ..Network::undirected(out)
        };
        if directed {
            let (incoming, w) = g.out.transpose_weighted(&weights);
            g.incoming = Some(incoming);
            g.incoming_weights = Some(w);
        }
        g.weights = Some(weights);
        g
    }

    #[test]
    fn edges_csv_has_one_row_per_edge_in_original_ids() {
        let dir = tempfile::tempdir().unwrap();
        for directed in [false, true] {
            let g = small(directed);
            let path = dir.path().join("edges.csv");
            write_edges(&path, &g).unwrap();
            let text = fs::read_to_string(&path).unwrap();
            assert_eq!(text.lines().count() - 1, g.edges());
            assert!(
                text.starts_with("source,target,weight\n10,20,0.5\n"),
                "{text}"
            );
            assert!(text.contains("20,30,2\n"), "{text}");
        }
    }

    #[test]
    fn graphml_declares_its_keys_and_holds_every_node_and_edge() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("network.graphml");
        let g = small(true);
        write_graphml(&path, &g).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("edgedefault=\"directed\""));
        for key in ["community", "degree", "in_degree", "weight"] {
            assert!(text.contains(&format!("<key id=\"{key}\"")), "{key}");
        }
        assert_eq!(text.matches("<node ").count(), 3);
        assert_eq!(text.matches("<edge ").count(), g.edges());
        assert!(
            text.contains("<edge source=\"20\" target=\"30\"><data key=\"weight\">2</data></edge>")
        );
    }
}
