//! PLACEHOLDER with the agreed API — the data engineer replaces this file with the real
//! classification lists (支出功能分类科目, 部门预算支出经济分类科目).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Functional,
    Economic,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub code: String,
    pub name: &'static str,
    pub recovered: bool,
}

pub fn name_of(_scheme: Scheme, _code: &str) -> Option<&'static str> {
    None
}

pub fn code_of_name(_scheme: Scheme, _name: &str, _parent: Option<&str>) -> Option<&'static str> {
    None
}

pub fn resolve(_scheme: Scheme, _printed_code: &str, _printed_name: &str, _parent: Option<&str>) -> Option<Resolved> {
    None
}

pub fn lei_of_name(_name: &str) -> Option<&'static str> {
    None
}
