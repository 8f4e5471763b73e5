//! Surveys and promoter reviews (`src/engine/marketing/reviews.rs`).

use crate::run_shipped;
use murmur::engine::marketing::SOURCE_COLUMNS;
use murmur::population::Source;

#[test]
fn promoter_reviews_produce_reviews_and_review_sourced_customers() {
    let o = run_shipped("promoter_reviews", 2);
    let reviews: f64 = o
        .series
        .iter()
        .flat_map(|s| s.column("reviews").unwrap())
        .sum();
    let from_reviews: f64 = o
        .series
        .iter()
        .flat_map(|s| s.column(SOURCE_COLUMNS[Source::Review as usize]).unwrap())
        .sum();
    assert!(
        reviews > 0.0 && from_reviews > 0.0,
        "{reviews} reviews, {from_reviews} adopters"
    );
}
