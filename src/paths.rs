//! What a path names on disk: the same file under any spelling (relative,
//! through symlinks, dangling symlinks included), so that two names of one
//! file are recognised as one.

use std::path::{Component, Path, PathBuf};

/// Most symlinks followed while resolving one path (as the kernel's ELOOP).
const MAX_LINKS: usize = 40;

/// The absolute path `path` names after every symlink is followed, also
/// when the file (or a symlink's target) does not exist yet. Never fails:
/// what cannot be resolved is kept as written, made absolute.
pub fn resolve(path: &Path) -> PathBuf {
    let mut current = absolute(path);
    for _ in 0..MAX_LINKS {
        if let Ok(real) = current.canonicalize() {
            return real;
        }
        // Missing: a dangling symlink to follow, or a file not created yet.
        match std::fs::read_link(&current) {
            Ok(target) => {
                let dir = current.parent().map(Path::to_path_buf).unwrap_or_default();
                current = normalise(&dir.join(target));
            }
            Err(_) => {
                let (Some(parent), Some(name)) = (current.parent(), current.file_name()) else {
                    return current;
                };
                return resolve(parent).join(name);
            }
        }
    }
    current
}

/// `path` made absolute against the working directory, `.` and `..` folded.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    normalise(&joined)
}

/// Folds `.` and `..` lexically (used only where the file does not exist,
/// so no symlink can sit under a `..`).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_one_file_resolve_alike() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        let real = root.join("state.db");
        std::fs::write(&real, "x").unwrap();
        let link = root.join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(resolve(&link), real);
        // A dangling symlink resolves to where its target would be.
        let dangling = root.join("dangling");
        std::os::unix::fs::symlink("state.db-wal", &dangling).unwrap();
        assert_eq!(resolve(&dangling), root.join("state.db-wal"));
        // A file not created yet, under a symlinked directory.
        let dir_link = root.join("dirlink");
        std::os::unix::fs::symlink(&root, &dir_link).unwrap();
        assert_eq!(resolve(&dir_link.join("new.jsonl")), root.join("new.jsonl"));
        // A symlink loop does not hang.
        let a = root.join("a");
        std::os::unix::fs::symlink(root.join("b"), &a).unwrap();
        std::os::unix::fs::symlink(&a, root.join("b")).unwrap();
        let _ = resolve(&a);
    }
}
