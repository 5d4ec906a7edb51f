//! Runs the archive reader over the ZIP fixtures built from the seeds by
//! tests/fixtures/web/make_fixtures.py (see the README there).

use std::path::PathBuf;

use gongkai_archive::{join_path, members, members_at, ArchiveLimits, Member};
use gongkai_model::{detect, ErrorKind, Format};

fn fixture(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/web").join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn seed(stem: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds").join(stem);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn err_of(m: &Member) -> String {
    match &m.result {
        Ok(b) => panic!("{} read {} bytes, expected a refusal", m.name, b.len()),
        Err(e) => e.message.clone(),
    }
}

#[test]
fn gbk_member_name_and_nested_archive() {
    let outer = members(&fixture("web_archive_002_003.zip"), &ArchiveLimits::default()).expect("outer zip");
    let names: Vec<&str> = outer.iter().map(|m| m.name.as_str()).collect();
    // The GBK name is decoded, the __MACOSX junk is skipped.
    assert_eq!(names, ["2023年度部门决算/002_97d50bc877a759dd.莲湖区医疗保障局.txt", "附件/决算附件.zip"]);
    assert_eq!(outer[0].result.as_deref(), Ok(seed("002_97d50bc877a759dd.txt").as_slice()));

    let inner_bytes = outer[1].result.as_ref().expect("inner zip bytes");
    assert_eq!(detect(inner_bytes), Format::Zip);
    let inner = members_at(inner_bytes, &ArchiveLimits::default(), 1).expect("inner zip");
    assert_eq!(inner.len(), 1);
    assert_eq!(inner[0].name, "003_66bd46d71a5bdd15.武汉市东西湖区医疗保障局.txt");
    assert_eq!(inner[0].result.as_deref(), Ok(seed("003_66bd46d71a5bdd15.txt").as_slice()));
    assert_eq!(
        join_path(&join_path("web_archive_002_003.zip", &outer[1].name), &inner[0].name),
        "web_archive_002_003.zip!/附件/决算附件.zip!/003_66bd46d71a5bdd15.武汉市东西湖区医疗保障局.txt"
    );
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    let limits = ArchiveLimits { max_depth: 1, ..Default::default() };
    let e = members_at(&fixture("web_archive_002_003.zip"), &limits, 2).unwrap_err();
    assert_eq!(e.message, "nested archive too deep: depth 2 > limit 1");
}

#[test]
fn honest_bomb_is_refused_by_its_declared_ratio() {
    let got = members(&fixture("hostile/bomb_50mb_zeros.zip"), &ArchiveLimits::default()).expect("archive");
    let msg = err_of(&got[0]);
    assert!(msg.starts_with("zip bomb refused: member zeros.txt expands to 52428800 bytes (ratio "), "{msg}");
    assert!(msg.ends_with(" > 200)"), "{msg}");
}

#[test]
fn lying_header_bomb_is_stopped_while_reading() {
    // Declares 1000 bytes and holds 50 MiB: the inflater stops instead of trusting it.
    let got = members(&fixture("hostile/bomb_lying_header.zip"), &ArchiveLimits::default()).expect("archive");
    assert_eq!(
        err_of(&got[0]),
        "zip bomb refused: member small.txt expands beyond its declared 1000 bytes (the header lies)"
    );
}

#[test]
fn declared_two_gigabytes_is_refused_without_inflating() {
    let got = members(&fixture("hostile/bomb_declared_2gb.zip"), &ArchiveLimits::default()).expect("archive");
    let msg = err_of(&got[0]);
    assert!(msg.starts_with("zip bomb refused: member huge.bin expands to 2000000000 bytes"), "{msg}");
}

#[test]
fn total_budget_is_shared_by_members() {
    let limits = ArchiveLimits { max_total_bytes: 60_000, ..Default::default() };
    let got = members(&fixture("web_archive_002_003.zip"), &limits).expect("archive");
    // Seed 002 (58 406 bytes) fits; the nested zip no longer does.
    assert!(got[0].result.is_ok());
    let msg = err_of(&got[1]);
    assert!(msg.contains("budget left of max_total_bytes 60000"), "{msg}");
}

#[test]
fn encrypted_member_is_reported_and_the_plain_one_read() {
    let got = members(&fixture("hostile/encrypted_member.zip"), &ArchiveLimits::default()).expect("archive");
    assert_eq!(got[0].name, "机密/决算.txt");
    let e = got[0].result.as_ref().unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Failed, "encrypted zip member: needs a password"));
    assert_eq!(got[1].result.as_deref(), Ok("公开部分".as_bytes()));
}

#[test]
fn corrupt_archives_fail_with_a_reason() {
    let e = members(&fixture("hostile/corrupt_truncated.zip"), &ArchiveLimits::default()).unwrap_err();
    assert!(e.message.starts_with("corrupt zip archive: "), "{}", e.message);
    let e = members(b"PK\x03\x04 not really a zip", &ArchiveLimits::default()).unwrap_err();
    assert!(e.message.starts_with("corrupt zip archive: "), "{}", e.message);
    let e = members(b"", &ArchiveLimits::default()).unwrap_err();
    assert!(e.message.starts_with("corrupt zip archive: "), "{}", e.message);
}

#[test]
fn damaged_member_data_fails_alone() {
    let got = members(&fixture("hostile/corrupt_member_data.zip"), &ArchiveLimits::default()).expect("archive");
    let msg = err_of(&got[0]);
    assert!(msg.starts_with("corrupt zip member damaged.txt: "), "{msg}");
    assert_eq!(got[1].result.as_deref(), Ok(b"fine\n".as_slice()));
}

#[test]
fn too_many_members_is_refused() {
    let limits = ArchiveLimits { max_members: 2, ..Default::default() };
    let e = members(&fixture("web_archive_002_003.zip"), &limits).unwrap_err();
    assert_eq!(e.message, "zip archive lists 3 members, more than the limit 2");
}

/// Every prefix and a sweep of single-byte damage of a real archive: errors, never a panic.
#[test]
fn hostile_bytes_never_panic() {
    let good = fixture("web_archive_002_003.zip");
    let limits = ArchiveLimits::default();
    for cut in (0..good.len()).step_by(997) {
        let _ = members(&good[..cut], &limits);
    }
    for pos in (0..good.len()).step_by(211) {
        let mut bad = good.clone();
        bad[pos] ^= 0xA5;
        let _ = members(&bad, &limits);
    }
}
