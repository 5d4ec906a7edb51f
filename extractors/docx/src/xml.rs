//! A small, bounded element tree of a WordprocessingML part.
//!
//! Only what the walker needs is kept: element names reduced to (namespace kind, local name),
//! attributes by local name, and text inside the few elements whose text is content. A tree
//! (rather than a streaming walk) keeps the table logic — spans, vertical merges, nested
//! tables — plain recursion; the member size cap bounds its memory.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Deeper nesting than this is hostile: real documents stay far below (a nested table in a
/// text box in a cell is about 40 levels).
const MAX_DEPTH: usize = 256;

const W_NS: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    /// WordprocessingML main namespace (transitional or strict).
    W,
    /// Markup compatibility (`mc:AlternateContent`).
    Mc,
    Other,
}

#[derive(Debug, Default)]
pub struct Node {
    pub ns: Option<Ns>,
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub kids: Vec<Child>,
}

#[derive(Debug)]
pub enum Child {
    El(Node),
    Text(String),
}

impl Node {
    pub fn is(&self, ns: Ns, name: &str) -> bool {
        self.ns == Some(ns) && self.name == name
    }
    pub fn is_w(&self, name: &str) -> bool {
        self.is(Ns::W, name)
    }
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == local).map(|(_, v)| v.as_str())
    }
    pub fn elements(&self) -> impl Iterator<Item = &Node> {
        self.kids.iter().filter_map(|c| match c {
            Child::El(n) => Some(n),
            Child::Text(_) => None,
        })
    }
    pub fn child_w(&self, name: &str) -> Option<&Node> {
        self.elements().find(|n| n.is_w(name))
    }
    pub fn text(&self) -> String {
        self.kids
            .iter()
            .filter_map(|c| match c {
                Child::Text(t) => Some(t.as_str()),
                Child::El(_) => None,
            })
            .collect()
    }
}

/// Elements whose character data is document text (shown or deliberately hidden).
fn keeps_text(node: &Node) -> bool {
    node.ns == Some(Ns::W) && matches!(node.name.as_str(), "t" | "delText" | "instrText")
}

fn ns_of(res: &ResolveResult) -> Ns {
    match res {
        ResolveResult::Bound(ns) if W_NS.contains(&ns.0) => Ns::W,
        ResolveResult::Bound(ns) if ns.0 == MC_NS => Ns::Mc,
        _ => Ns::Other,
    }
}

/// Parses a whole XML part into its root element, or a one-line reason.
pub fn parse(xml: &str) -> Result<Node, String> {
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let pos = reader.buffer_position();
        let (res, event) = reader.read_resolved_event().map_err(|e| format!("XML error near byte {pos}: {e}"))?;
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!("XML nests deeper than {MAX_DEPTH} levels"));
                }
                let node = element(ns_of(&res), &e);
                stack.push(node);
            }
            Event::Empty(e) => {
                let node = element(ns_of(&res), &e);
                if let Some(parent) = stack.last_mut() {
                    parent.kids.push(Child::El(node));
                }
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(format!("XML error near byte {pos}: unbalanced end tag"));
                }
                if let Some(node) = stack.pop() {
                    if let Some(parent) = stack.last_mut() {
                        parent.kids.push(Child::El(node));
                    }
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r).unwrap_or("").to_string(),
                    Err(e) => return Err(format!("XML error near byte {pos}: {e}")),
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("XML ends before its elements are closed (truncated part)".into());
    }
    let root = stack.pop().unwrap_or_default();
    root.kids
        .into_iter()
        .find_map(|c| match c {
            Child::El(n) => Some(n),
            Child::Text(_) => None,
        })
        .ok_or_else(|| "XML part has no root element".to_string())
}

fn push_text(stack: &mut [Node], text: &str) {
    if let Some(top) = stack.last_mut() {
        if keeps_text(top) {
            match top.kids.last_mut() {
                Some(Child::Text(t)) => t.push_str(text),
                _ => top.kids.push(Child::Text(text.to_string())),
            }
        }
    }
}

fn element(ns: Ns, e: &quick_xml::events::BytesStart) -> Node {
    let name = e.local_name().as_ref().to_string();
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let key = a.key.local_name().as_ref().to_string();
            let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default();
            (key, value)
        })
        .collect();
    Node { ns: Some(ns), name, attrs, kids: Vec::new() }
}
