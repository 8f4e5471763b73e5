//! Provenance (issue 12, item 6): the licence files Cargo.toml names, a citation file
//! of the same version, and a manifest that says how murmur was built and where it ran.

use std::path::Path;

fn read(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Cargo.toml's `license = "MIT OR Apache-2.0"` has both texts beside it.
#[test]
fn the_licence_files_match_cargo_toml() {
    let cargo = read("Cargo.toml");
    assert!(cargo.contains("license = \"MIT OR Apache-2.0\""));
    assert!(read("LICENSE-MIT").starts_with("MIT License\n"));
    let apache = read("LICENSE-APACHE");
    assert!(apache.contains("Apache License\n                        Version 2.0, January 2004"));
    assert!(apache.trim_end().ends_with("END OF TERMS AND CONDITIONS"));
}

/// CITATION.cff names the crate's version and licence.
#[test]
fn the_citation_file_names_this_version() {
    let cff = read("CITATION.cff");
    assert!(cff.contains("cff-version: 1.2.0"));
    assert!(cff.contains(&format!("\nversion: {}\n", env!("CARGO_PKG_VERSION"))));
    assert!(cff.contains("license: \"MIT OR Apache-2.0\""));
}

/// A manifest records the commit, compiler, profile and host of the run.
#[test]
fn a_manifest_records_the_build_and_the_host() {
    let m = murmur::results::Manifest::new(murmur::results::Kind::Run);
    let b = m.build.expect("a new manifest records its build");
    assert!(b.rustc.starts_with("rustc "), "{}", b.rustc);
    assert!(
        b.profile == "release" || b.profile == "debug",
        "{}",
        b.profile
    );
    assert!(
        b.git_commit == "unknown" || b.git_commit.len() == 40,
        "{}",
        b.git_commit
    );
    assert!(b.cores >= 1);
    let json =
        serde_json::to_string(&murmur::results::Manifest::new(murmur::results::Kind::Run)).unwrap();
    assert!(
        json.starts_with("{\"kind\":\"run\",\"murmur_version\":"),
        "{json}"
    );
    assert!(json.contains("\"build\":{\"git_commit\":"));
}
