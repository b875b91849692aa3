//! Text: normalise raw post text (keeping a map back to the original) and segment it with jieba.

pub mod normalize;
pub mod search;
pub mod segment;

pub use normalize::{normalize, Normalized};
pub use search::SearchQuery;
pub use segment::{is_wordlike, Segmented, Segmenter, Token};
