//! `murmur network` (docs/OUTPUTS.md "Network export"), through the real binary: the
//! shipped email-Eu-core example with its departments, and a weighted edge list, as
//! edges.csv, nodes.csv and network.graphml.

mod common;

use common::murmur_in;
use std::collections::HashMap;
use std::path::Path;

/// Runs `murmur network scenario --out out` in `cwd` and returns stdout.
fn export(cwd: &Path, scenario: &Path, out: &Path) -> String {
    let output = murmur_in(
        cwd,
        &[Path::new("network"), scenario, Path::new("--out"), out],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The rows of a CSV file as maps from column to value.
fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .map(String::from)
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// The elements named `tag` of a GraphML file, as (attributes, inner text) pairs: a
/// small reader for the shapes the exporter writes, checking that every element it
/// opens is closed.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{tag} ");
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let end = after.find('>').expect("a closed start tag");
        let attributes = after[..end].trim_end_matches('/');
        let (inner, next) = if after[..end].ends_with('/') {
            ("", &after[end + 1..])
        } else {
            let close = format!("</{tag}>");
            let stop = after
                .find(&close)
                .unwrap_or_else(|| panic!("an unclosed <{tag}>"));
            (&after[end + 1..stop], &after[stop + close.len()..])
        };
        found.push((attributes, inner));
        rest = next;
    }
    found
}

/// The value of attribute `name` in a start tag's attributes.
fn attribute<'a>(attributes: &'a str, name: &str) -> &'a str {
    let key = format!("{name}=\"");
    let start = attributes
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {attributes}"))
        + key.len();
    &attributes[start..start + attributes[start..].find('"').unwrap()]
}

#[test]
fn the_email_example_exports_every_edge_and_its_departments() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("email");
    let said = export(root, Path::new("scenarios/email_eu_core.toml"), &out);
    assert!(
        said.contains("1005 nodes, 24929 directed edges, 42 communities"),
        "{said}"
    );

    // edges.csv: the 25,571 lines of the file less its 642 self-loops.
    let edges = rows(&out.join("edges.csv"));
    assert_eq!(edges.len(), 24_929);
    assert!(!edges[0].contains_key("weight"));
    // nodes.csv: each member's department, as the node file says.
    let departments: HashMap<String, String> = rows(&root.join("data/email-Eu-core-nodes.csv"))
        .into_iter()
        .map(|r| (r["id"].clone(), r["community"].clone()))
        .collect();
    let nodes = rows(&out.join("nodes.csv"));
    assert_eq!(nodes.len(), 1005);
    for n in &nodes {
        assert_eq!(n["community"], departments[&n["id"]], "node {}", n["id"]);
    }
    let out_degrees: usize = nodes
        .iter()
        .map(|n| n["degree"].parse::<usize>().unwrap())
        .sum();
    let in_degrees: usize = nodes
        .iter()
        .map(|n| n["in_degree"].parse::<usize>().unwrap())
        .sum();
    assert_eq!((out_degrees, in_degrees), (24_929, 24_929));

    // network.graphml, read back: the same nodes, edges and communities.
    let xml = std::fs::read_to_string(out.join("network.graphml")).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml "));
    assert!(xml.ends_with("</graph>\n</graphml>\n"));
    let graph = elements(&xml, "graph");
    assert_eq!(attribute(graph[0].0, "edgedefault"), "directed");
    let keys: Vec<&str> = elements(&xml, "key")
        .iter()
        .map(|k| attribute(k.0, "id"))
        .collect();
    assert_eq!(keys, ["community", "degree", "in_degree"]);
    let graph_nodes = elements(&xml, "node");
    assert_eq!(graph_nodes.len(), 1005);
    for (attributes, inner) in &graph_nodes {
        let id = attribute(attributes, "id");
        let community = elements(inner, "data")
            .into_iter()
            .find(|d| attribute(d.0, "key") == "community")
            .map(|d| d.1);
        assert_eq!(community, Some(departments[id].as_str()), "node {id}");
    }
    let graph_edges = elements(&xml, "edge");
    assert_eq!(graph_edges.len(), edges.len());
    let (first, _) = graph_edges[0];
    assert_eq!(
        (attribute(first, "source"), attribute(first, "target")),
        (edges[0]["source"].as_str(), edges[0]["target"].as_str())
    );
    assert!(out.join("manifest.json").exists());
}

#[test]
fn a_weighted_undirected_network_exports_each_tie_once_with_its_weight() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("edges.txt"),
        "7 9 0.5\n9 7 2\n9 11 1.25\n11 11 3\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("nodes.csv"),
        "id,community,member\n7,x,true\n11,y,\n",
    )
    .unwrap();
    let scenario = "ticks = 2\n[network]\nkind = \"edge_list\"\npath = \"edges.txt\"\n\
                    weights = true\nnodes = \"nodes.csv\"\n[model]\nkind = \"marketing\"\n";
    std::fs::write(dir.path().join("s.toml"), scenario).unwrap();
    let out = dir.path().join("net");
    export(dir.path(), Path::new("s.toml"), &out);
    let edges = std::fs::read_to_string(out.join("edges.csv")).unwrap();
    assert_eq!(edges, "source,target,weight\n7,9,2\n9,11,1.25\n");
    let nodes = std::fs::read_to_string(out.join("nodes.csv")).unwrap();
    assert_eq!(
        nodes,
        "id,community,degree,member\n7,x,1,true\n9,,2,\n11,y,1,\n"
    );
    let xml = std::fs::read_to_string(out.join("network.graphml")).unwrap();
    assert!(xml.contains("edgedefault=\"undirected\""));
    assert!(xml.contains(
        "<key id=\"community\" for=\"node\" attr.name=\"community\" attr.type=\"string\"/>"
    ));
    assert!(
        xml.contains("<key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>")
    );
    let weights: Vec<&str> = elements(&xml, "edge")
        .iter()
        .map(|e| elements(e.1, "data")[0].1)
        .collect();
    assert_eq!(weights, ["2", "1.25"]);
    // murmur never overwrites a folder it did not write.
    let theirs = dir.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("notes.txt"), "keep me").unwrap();
    let refused = murmur_in(dir.path(), &["network", "s.toml", "--out", "theirs"]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(theirs.join("notes.txt")).unwrap(),
        "keep me"
    );
}
