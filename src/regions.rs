//! PLACEHOLDER with the agreed API — the data engineer replaces this file with the real
//! resolver over the 2023 administrative-division list.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegionTag {
    pub province: String,
    pub prefecture: String,
    pub county: String,
    pub region_code: String,
    pub ambiguous: bool,
}

pub fn resolve(_department: &str, _context: &str) -> RegionTag {
    RegionTag::default()
}
