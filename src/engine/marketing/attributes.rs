//! Node-file attributes at tick 0 (docs/MODEL.md §3.3, §4.5): a node file's
//! involvement and persona replace the drawn traits, its status and membership the
//! drawn initial state. The draws are still made, so every agent the file leaves
//! silent gets the same traits and state as without a file. Reading and checking the
//! file is `network::nodes`' and `experiment`'s work.

use crate::network::{InitialStatus, NodeAttributes};
use crate::population::{CustomersChunk, MAX_MASKS, flag};
use crate::scenario::marketing::Mask;

/// The mask index of each persona name a node file uses (`None`: no such mask, which
/// `experiment` refuses before a run).
pub(super) fn persona_masks(attributes: &NodeAttributes, masks: &[Mask]) -> Vec<Option<usize>> {
    attributes
        .personas
        .iter()
        .map(|(name, _)| masks.iter().position(|m| &m.name == name))
        .collect()
}

/// A cumulative persona mix with all its weight on mask `k`: 0 before k, 1 from k on.
pub(super) fn single_mask_mix(k: usize) -> [f32; MAX_MASKS] {
    std::array::from_fn(|m| if m < k { 0.0 } else { 1.0 })
}

/// Replaces agent `i`'s (index `j` of chunk `c`) drawn involvement and persona mix by
/// the node file's, where it gives them.
pub(super) fn set_traits(
    c: &mut CustomersChunk,
    j: usize,
    attributes: &NodeAttributes,
    personas: &[Option<usize>],
) {
    let i = c.start + j;
    match attributes.involvement.get(i).copied().flatten() {
        Some(true) => c.flags[j] |= flag::HIGH_INVOLVEMENT,
        Some(false) => c.flags[j] &= !flag::HIGH_INVOLVEMENT,
        None => {}
    }
    let persona = attributes.persona.get(i).copied().flatten();
    if let Some(k) = persona.and_then(|p| personas[p as usize]) {
        c.mix[j] = single_mask_mix(k);
    }
}

/// What the node file says of agent `i`'s state at tick 0: its status and membership.
pub(super) fn given_state(
    attributes: Option<&NodeAttributes>,
    i: usize,
) -> (Option<InitialStatus>, Option<bool>) {
    attributes.map_or((None, None), |a| {
        (
            a.status.get(i).copied().flatten(),
            a.member.get(i).copied().flatten(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_mask_mix_always_picks_its_mask() {
        let mix = single_mask_mix(1);
        for u in [0.0, 0.3, 0.999_999] {
            assert_eq!(super::super::exposure::persona_mask(&mix, 3, u), 1);
        }
        assert_eq!(
            super::super::exposure::persona_mask(&single_mask_mix(0), 3, 0.5),
            0
        );
        assert_eq!(
            super::super::exposure::persona_mask(&single_mask_mix(2), 3, 0.0),
            2
        );
    }
}
