//! Figures stated in the narrative (情况说明).

use crate::report::Fact;

/// Reads the headline figures of the narrative.
pub fn extract_facts(_doc: &gongkai_model::Document) -> Vec<Fact> {
    Vec::new()
}
