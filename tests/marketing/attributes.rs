//! Node-file attributes at tick 0 (`src/engine/marketing/attributes.rs`): the file's
//! status, membership, involvement and persona replace the draws; every agent it is
//! silent on starts as without a file.

use crate::spec;
use murmur::engine::Marketing;
use murmur::network::{Network, read_edge_list};
use murmur::population::{flag, membership, status};
use murmur::scenario::marketing::Strategy;

/// A ring of 200 agents with original ids 1000.., read from an edge list, with and
/// without the node file `nodes`.
fn ring(nodes: &str) -> (Network, Network) {
    let dir = tempfile::tempdir().unwrap();
    let edges: String = (0..200)
        .map(|i| format!("{} {}\n", 1000 + i, 1000 + (i + 1) % 200))
        .collect();
    std::fs::write(dir.path().join("edges.txt"), edges).unwrap();
    std::fs::write(dir.path().join("nodes.csv"), nodes).unwrap();
    let plain = read_edge_list(&dir.path().join("edges.txt"), false, false).unwrap();
    let joined = plain
        .clone()
        .with_node_file(&dir.path().join("nodes.csv"))
        .unwrap();
    (plain, joined)
}

#[test]
fn a_node_files_attributes_set_the_initial_state_and_the_rest_is_drawn_as_before() {
    let text = "id,community,status,member,involvement,persona\n\
                1000,b,customer,true,high,private\n\
                1001,a,competitor,,low,\n\
                1002,a,aware,false,,social\n\
                1003,b,unaware,,,\n";
    let (plain, joined) = ring(text);
    // Communities: "a" < "b", and the 196 unlisted agents share community 2.
    let community = joined.community.as_deref().unwrap();
    assert_eq!(&community[..5], &[1, 0, 0, 1, 2]);
    assert!(community[4..].iter().all(|&c| c == 2));
    let spec = spec(Strategy::default());
    let with = Marketing::new(&joined, &spec, 3, 0);
    let without = Marketing::new(&plain, &spec, 3, 0);
    let (a, b) = (with.agents(), without.agents());
    assert_eq!(
        a.status[..4],
        [
            status::CUSTOMER,
            status::RIVAL,
            status::PROSPECT,
            status::PROSPECT
        ]
    );
    assert_eq!(a.rival[1], 1);
    assert_eq!(a.membership[0], membership::MEMBER);
    assert_eq!(a.membership[2], membership::NONE);
    assert!(a.flags[0] & flag::HIGH_INVOLVEMENT != 0 && a.flags[1] & flag::HIGH_INVOLVEMENT == 0);
    assert!(a.flags[2] & flag::AWARE != 0 && a.status[2] == status::PROSPECT);
    assert_eq!(a.mix[0][..3], [0.0, 0.0, 1.0]);
    assert_eq!(a.mix[2][..3], [1.0, 1.0, 1.0]);
    // Silent cells and unlisted agents are exactly as without a file.
    assert_eq!(a.mix[1], b.mix[1]);
    assert_eq!(a.susceptibility, b.susceptibility);
    for i in 4..200 {
        assert_eq!(
            (
                a.flags[i],
                a.status[i],
                a.membership[i],
                a.mix[i],
                a.attitude[i]
            ),
            (
                b.flags[i],
                b.status[i],
                b.membership[i],
                b.mix[i],
                b.attitude[i]
            ),
            "agent {i}"
        );
    }
}
