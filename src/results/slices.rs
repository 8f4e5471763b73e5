//! What the slices of one job (written with `--shard K/N`) must hold together before
//! `murmur merge` joins them: every index of `0..total` exactly once.

use std::path::Path;

/// What keeps `slices` — each a range `[start, end)` of `noun` (replicates, points) and
/// its folder, sorted by range — from holding `0..total` exactly once: its gaps and
/// overlaps, in words; empty when they cover it exactly.
pub fn coverage(slices: &[([u64; 2], &Path)], total: u64, noun: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut next = 0;
    for &([start, end], dir) in slices {
        if start > next {
            problems.push(format!(
                "{noun} {next}–{} are in none of the slices given",
                start - 1
            ));
        } else if start < next {
            problems.push(format!(
                "{noun} {start}–{} are in two slices ({} and an earlier one)",
                next.min(end) - 1,
                dir.display()
            ));
        }
        next = next.max(end);
    }
    if next < total {
        problems.push(format!(
            "{noun} {next}–{} are in none of the slices given",
            total - 1
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_and_overlaps_are_named() {
        let (a, b) = (Path::new("a"), Path::new("b"));
        assert!(coverage(&[([0, 3], a), ([3, 5], b)], 5, "points").is_empty());
        assert_eq!(
            coverage(&[([0, 2], a), ([3, 4], b)], 6, "replicates"),
            [
                "replicates 2–2 are in none of the slices given",
                "replicates 4–5 are in none of the slices given"
            ]
        );
        assert_eq!(
            coverage(&[([0, 3], a), ([2, 4], b)], 4, "points"),
            ["points 2–2 are in two slices (b and an earlier one)"]
        );
    }
}
