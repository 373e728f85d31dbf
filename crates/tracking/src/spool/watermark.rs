//! How far the writer has committed, kept in `spool/COMMITTED` so that a restart knows
//! which spooled clicks are certainly stored. The file is replaced (write, then rename)
//! after each commit and never synced: after a crash of the machine it may lag behind
//! the database, which costs a replay some checking, never a duplicate, because it is
//! only ever written after the commit it names.

use std::fs;
use std::io;
use std::path::Path;

use super::Position;

/// The file's name in the spool directory.
const FILE: &str = "COMMITTED";

/// The position recorded in `dir`, if a readable one is there.
pub(crate) fn read(dir: &Path) -> Option<Position> {
    let text = fs::read_to_string(dir.join(FILE)).ok()?;
    let mut parts = text.split_whitespace().map(str::parse::<u64>);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(segment)), Some(Ok(offset)), None) => Some(Position { segment, offset }),
        _ => None,
    }
}

/// Records that everything before `position` is committed.
pub(crate) fn write(dir: &Path, position: Position) -> io::Result<()> {
    let temporary = dir.join(format!("{FILE}.tmp"));
    fs::write(
        &temporary,
        format!("{} {}\n", position.segment, position.offset),
    )?;
    fs::rename(temporary, dir.join(FILE))
}

/// Forgets the recorded position (the spool is empty).
pub(crate) fn remove(dir: &Path) -> io::Result<()> {
    match fs::remove_file(dir.join(FILE)) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_position_reads_back_and_anything_else_reads_as_none() {
        let dir = tempfile::tempdir().expect("temporary directory");
        assert_eq!(read(dir.path()), None, "nothing recorded yet");
        let position = Position {
            segment: 7,
            offset: 4096,
        };
        write(dir.path(), position).expect("write");
        assert_eq!(read(dir.path()), Some(position));
        fs::write(dir.path().join(FILE), "7").expect("write");
        assert_eq!(read(dir.path()), None, "a damaged file is ignored");
        remove(dir.path()).expect("remove");
        assert_eq!(read(dir.path()), None);
    }
}
