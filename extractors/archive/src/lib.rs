//! Reads ZIP archives of scraped disclosures safely: one [`Member`] per file inside, each with
//! its decoded name and either its bytes or a one-line reason it could not be read.
//!
//! Scraped archives come from Chinese Windows machines, so member names without the UTF-8 flag
//! are usually GBK; they are decoded by validity (UTF-8 flag, valid UTF-8, GB18030, CP437).
//! Hostile archives are refused with a reason instead of exhausting memory: declared sizes are
//! checked against [`ArchiveLimits`] before inflating, and inflation is capped while reading
//! (a lying header cannot smuggle more bytes than the limits allow).
//!
//! Nested archives are the caller's job: when a member's bytes detect as
//! [`gongkai_model::Format::Zip`], call [`members_at`] on them with `depth + 1` and name the
//! inner members with [`join_path`], giving `outer.zip!/inner.zip!/x.pdf`. [`members_at`]
//! refuses to go deeper than [`ArchiveLimits::max_depth`], so recursion stays bounded; give
//! the inner call a `max_total_bytes` reduced by what the outer archive already inflated to
//! keep the byte budget shared across levels.

use std::io::{Cursor, Read};

use gongkai_model::ExtractError;

/// One file inside an archive.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The member's path inside the archive, decoded to Unicode, `/`-separated.
    pub name: String,
    /// The inflated bytes, or why they could not be had (encrypted, bomb, corrupt data, …).
    pub result: Result<Vec<u8>, ExtractError>,
}

/// How much an archive may make us inflate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArchiveLimits {
    /// Bytes inflated from all members of one archive together.
    pub max_total_bytes: u64,
    /// Largest inflated/compressed ratio accepted for a member bigger than
    /// [`RATIO_FLOOR_BYTES`] (small files of blanks legitimately compress very well).
    pub max_ratio: u64,
    /// Members listed in the central directory; more is refused as hostile.
    pub max_members: usize,
    /// Deepest nesting level accepted by [`members_at`] (the outermost archive is depth 0).
    pub max_depth: u32,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits { max_total_bytes: 1 << 30, max_ratio: 200, max_members: 10_000, max_depth: 3 }
    }
}

/// Members expanding to at most this many bytes are never refused for their ratio alone:
/// a page of spaces or zeros compresses far beyond 200 and is harmless at this size.
pub const RATIO_FLOOR_BYTES: u64 = 1 << 20;

/// The display path of a member inside an archive: `archive.zip!/member.pdf`.
pub fn join_path(archive: &str, member: &str) -> String {
    format!("{archive}!/{member}")
}

/// Reads every file member of a top-level archive (depth 0). See [`members_at`].
pub fn members(bytes: &[u8], limits: &ArchiveLimits) -> Result<Vec<Member>, ExtractError> {
    members_at(bytes, limits, 0)
}

/// Reads every file member of an archive found at nesting `depth` (0 = the file itself).
///
/// Directories and macOS junk (`__MACOSX/`, `._*`, `.DS_Store`) are skipped. The whole call
/// fails only when the archive itself is unreadable, too deep, or lists too many members;
/// a bad member fails alone in its [`Member::result`].
pub fn members_at(bytes: &[u8], limits: &ArchiveLimits, depth: u32) -> Result<Vec<Member>, ExtractError> {
    if depth > limits.max_depth {
        return Err(ExtractError::failed(format!(
            "nested archive too deep: depth {depth} > limit {}",
            limits.max_depth
        )));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::failed(format!("corrupt zip archive: {e}")))?;
    if archive.len() > limits.max_members {
        return Err(ExtractError::failed(format!(
            "zip archive lists {} members, more than the limit {}",
            archive.len(),
            limits.max_members
        )));
    }
    let mut budget = limits.max_total_bytes;
    let mut out = Vec::new();
    for index in 0..archive.len() {
        let Some(info) = entry_info(&archive, index) else { continue };
        if info.is_dir || is_junk(&info.name) {
            continue;
        }
        let result = read_member(&mut archive, index, &info, limits, budget);
        if let Ok(data) = &result {
            budget = budget.saturating_sub(data.len() as u64);
        }
        out.push(Member { name: info.name, result });
    }
    if out.is_empty() {
        return Err(ExtractError::failed("zip archive holds no files"));
    }
    Ok(out)
}

/// What the central directory says about one member, read before touching its data.
struct EntryInfo {
    name: String,
    is_dir: bool,
    encrypted: bool,
    declared_size: u64,
    compressed_size: u64,
}

fn entry_info(archive: &zip::ZipArchive<Cursor<&[u8]>>, index: usize) -> Option<EntryInfo> {
    let entry = archive.by_index_data(index).ok()?;
    // Bit 11, the language encoding flag (EFS): the name is UTF-8.
    let utf8_flag = entry.flags().as_u16() & 0x0800 != 0;
    let name = decode_name(entry.name_raw(), utf8_flag);
    Some(EntryInfo {
        is_dir: entry.is_dir() || name.ends_with('/'),
        encrypted: entry.encrypted(),
        declared_size: entry.size(),
        compressed_size: entry.compressed_size(),
        name,
    })
}

fn read_member(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
    info: &EntryInfo,
    limits: &ArchiveLimits,
    budget: u64,
) -> Result<Vec<u8>, ExtractError> {
    if info.encrypted {
        return Err(ExtractError::failed("encrypted zip member: needs a password"));
    }
    check_declared(info, limits, budget)?;
    let cap = inflate_cap(info.compressed_size, limits, budget);
    let file = archive.by_index(index).map_err(|e| member_error(info, &e.to_string()))?;
    let mut data = Vec::new();
    file.take(cap.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| member_error(info, &e.to_string()))?;
    let actual = data.len() as u64;
    if actual > cap {
        return Err(bomb(info, limits, actual, budget, "or more "));
    }
    Ok(data)
}

/// Refuses before inflating when the central directory already admits a bomb.
fn check_declared(info: &EntryInfo, limits: &ArchiveLimits, budget: u64) -> Result<(), ExtractError> {
    if info.declared_size > budget || info.declared_size > ratio_cap(info.compressed_size, limits) {
        return Err(bomb(info, limits, info.declared_size, budget, ""));
    }
    Ok(())
}

/// Headers can lie, so the reader is capped at what the limits allow for this member.
fn inflate_cap(compressed: u64, limits: &ArchiveLimits, budget: u64) -> u64 {
    ratio_cap(compressed, limits).min(budget)
}

fn ratio_cap(compressed: u64, limits: &ArchiveLimits) -> u64 {
    compressed.saturating_mul(limits.max_ratio).max(RATIO_FLOOR_BYTES)
}

fn bomb(info: &EntryInfo, limits: &ArchiveLimits, size: u64, budget: u64, or_more: &str) -> ExtractError {
    let ratio = size / info.compressed_size.max(1);
    let why = if size > budget {
        format!("over the {budget}-byte budget left of max_total_bytes {}", limits.max_total_bytes)
    } else {
        format!("ratio {ratio} > {}", limits.max_ratio)
    };
    ExtractError::failed(format!(
        "zip bomb refused: member {} expands to {size} bytes {or_more}({why})",
        info.name
    ))
}

fn member_error(info: &EntryInfo, detail: &str) -> ExtractError {
    let lower = detail.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        return ExtractError::failed("encrypted zip member: needs a password");
    }
    // The zip crate stops a member at its declared size: a header that lies is a bomb.
    if lower.contains("larger than its declared") {
        return ExtractError::failed(format!(
            "zip bomb refused: member {} expands beyond its declared {} bytes (the header lies)",
            info.name, info.declared_size
        ));
    }
    ExtractError::failed(format!("corrupt zip member {}: {detail}", info.name))
}

fn is_junk(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    name.starts_with("__MACOSX/") || base.starts_with("._") || base == ".DS_Store" || base == "Thumbs.db"
}

/// Decodes a raw member name by validity: the UTF-8 flag, then UTF-8 itself (macOS writes
/// UTF-8 without the flag), then GB18030 (a superset of the GBK/GB2312 that Chinese Windows
/// writes), then CP437, the format's official default, which decodes every byte.
pub fn decode_name(raw: &[u8], utf8_flag: bool) -> String {
    let name = if utf8_flag {
        String::from_utf8_lossy(raw).into_owned()
    } else if let Ok(s) = std::str::from_utf8(raw) {
        s.to_owned()
    } else if let Some(s) = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(raw) {
        s.into_owned()
    } else {
        raw.iter().map(|&b| cp437_char(b)).collect()
    };
    // After decoding, so a GBK trail byte 0x5C is never mistaken for a separator.
    name.replace('\\', "/")
}

fn cp437_char(b: u8) -> char {
    const HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";
    if b < 0x80 {
        char::from(b)
    } else {
        HIGH.chars().nth(usize::from(b - 0x80)).unwrap_or('\u{fffd}')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decode_by_validity() {
        let (gbk, _, _) = encoding_rs::GBK.encode("部门决算/002.txt");
        assert_eq!(decode_name(&gbk, false), "部门决算/002.txt");
        assert_eq!(decode_name("决算.pdf".as_bytes(), false), "决算.pdf");
        assert_eq!(decode_name("决算.pdf".as_bytes(), true), "决算.pdf");
        // 0x80 is no GB18030 lead byte: falls back to CP437.
        assert_eq!(decode_name(&[0x80, b'a', 0xFF], false), "Ça\u{a0}");
        assert_eq!(join_path("a.zip", "b.pdf"), "a.zip!/b.pdf");
    }

    #[test]
    fn cp437_table_is_complete() {
        assert_eq!(cp437_char(0xFF), '\u{a0}');
        assert_eq!(cp437_char(0xE0), 'α');
    }
}
