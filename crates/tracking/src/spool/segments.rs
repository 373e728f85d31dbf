//! Segment files: `spool/<number>.seg`, numbered in the order they were opened. Clicks
//! are appended to the newest; the writer reads them in number order.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// The file name's extension.
const EXTENSION: &str = "seg";

/// The path of segment `id` in `dir`.
pub(crate) fn path(dir: &Path, id: u64) -> PathBuf {
    dir.join(format!("{id:020}.{EXTENSION}"))
}

/// Creates segment `id` for appending; it must not exist yet.
pub(crate) fn create(dir: &Path, id: u64) -> io::Result<File> {
    OpenOptions::new()
        .append(true)
        .create_new(true)
        .open(path(dir, id))
}

/// The segments in `dir`, oldest first, with their sizes in bytes. Other files are
/// ignored.
pub(crate) fn existing(dir: &Path) -> io::Result<Vec<(u64, u64)>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(id) = name
            .to_str()
            .and_then(|name| name.strip_suffix(&format!(".{EXTENSION}")))
            .and_then(|number| number.parse::<u64>().ok())
        else {
            continue;
        };
        found.push((id, entry.metadata()?.len()));
    }
    found.sort_unstable();
    Ok(found)
}

/// Deletes segment `id`; one that is already gone is fine.
pub(crate) fn remove(dir: &Path, id: u64) -> io::Result<()> {
    match fs::remove_file(path(dir, id)) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_listed_in_number_order_and_other_files_are_ignored() {
        let dir = tempfile::tempdir().expect("temporary directory");
        for id in [10, 2, 1] {
            create(dir.path(), id).expect("create");
        }
        fs::write(dir.path().join("notes.txt"), "x").expect("write");
        fs::write(path(dir.path(), 2), "abc").expect("write");
        assert_eq!(
            existing(dir.path()).expect("list"),
            vec![(1, 0), (2, 3), (10, 0)]
        );
        assert!(
            create(dir.path(), 2).is_err(),
            "never reopened for appending"
        );
        remove(dir.path(), 2).expect("remove");
        remove(dir.path(), 2).expect("removing twice is fine");
        assert_eq!(existing(dir.path()).expect("list"), vec![(1, 0), (10, 0)]);
    }
}
