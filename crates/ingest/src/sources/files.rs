//! Files and directories as sources: walking a tree in a stable order and classifying
//! each file with [`detect`](super::detect).
//!
//! Reading an HTML or text document is left to [`warta_extract::input::read_input`]
//! (gzip detection and a decompressed-size cap), which [`read_document`] calls; WARC
//! files and sitemaps are streamed from [`open`]; feeds, read whole, come from
//! [`read_capped`], which refuses files past a cap instead of filling memory.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use warta_core::RawDoc;
use warta_extract::input::{InputError, read_input};

use super::detect::{Detection, SourceKind, detect_path};

/// One file found, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSource {
    /// The file's path.
    pub path: PathBuf,
    /// What the file is (never [`SourceKind::Directory`]).
    pub detection: Detection,
}

/// Why a file or directory could not be listed or read.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// A directory entry or file could not be read.
    #[error("{}: cannot read it: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The file is larger than the cap given.
    #[error("{}: larger than {cap} bytes; not read", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The cap.
        cap: u64,
    },
}

/// Walks a directory tree: every regular file under it, sorted by path within each
/// directory (so runs are reproducible), hidden files and directories (names starting
/// with `.`) left out, symbolic links not followed. Each file is classified from its
/// first bytes; a file or directory that cannot be read is an error item and the walk
/// goes on. A `root` that is a file yields just that file.
pub fn walk(root: &Path) -> Walk {
    let inner = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    Walk { inner }
}

/// The iterator [`walk`] returns.
#[derive(Debug)]
pub struct Walk {
    inner: walkdir::IntoIter,
}

impl Iterator for Walk {
    type Item = Result<FileSource, FilesError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let entry = match self.inner.next()? {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf).unwrap_or_default();
                    let source = e
                        .into_io_error()
                        .unwrap_or_else(|| io::Error::other("filesystem loop"));
                    return Some(Err(FilesError::Io { path, source }));
                }
            };
            let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
            if hidden {
                if entry.file_type().is_dir() {
                    self.inner.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.into_path();
            return Some(match detect_path(&path) {
                Ok(detection) => Ok(FileSource { path, detection }),
                Err(source) => Err(FilesError::Io { path, source }),
            });
        }
    }
}

/// Expands inputs given on a command line: directories are walked ([`walk`]), files are
/// classified. Order follows the inputs.
pub fn expand<P: AsRef<Path>>(inputs: &[P]) -> Vec<Result<FileSource, FilesError>> {
    inputs.iter().flat_map(|p| walk(p.as_ref())).collect()
}

/// Reads an HTML or text document (gzip or not) for extraction, through
/// [`warta_extract::input::read_input`]: at most `max_bytes` after decompression, the
/// rest dropped and [`RawDoc::truncated`] set.
///
/// # Errors
/// [`InputError`] when the file cannot be read or its gzip stream is corrupt.
pub fn read_document(path: &Path, max_bytes: u64) -> Result<RawDoc, InputError> {
    read_input(&path.to_string_lossy(), max_bytes)
}

/// Opens a file for streaming (WARC, sitemap) with a buffer.
///
/// # Errors
/// [`FilesError::Io`] when it cannot be opened.
pub fn open(path: &Path) -> Result<BufReader<File>, FilesError> {
    File::open(path)
        .map(|f| BufReader::with_capacity(64 << 10, f))
        .map_err(|source| FilesError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Reads a whole file, as stored (still compressed if it is), refusing one larger than
/// `max_bytes`.
///
/// # Errors
/// [`FilesError::TooLarge`] past the cap, [`FilesError::Io`] when it cannot be read.
pub fn read_capped(path: &Path, max_bytes: u64) -> Result<Vec<u8>, FilesError> {
    let io_err = |source| FilesError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    File::open(path)
        .map_err(io_err)?
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(io_err)?;
    if out.len() as u64 > max_bytes {
        return Err(FilesError::TooLarge {
            path: path.to_path_buf(),
            cap: max_bytes,
        });
    }
    Ok(out)
}

impl FileSource {
    /// True for sources the extraction stage reads directly (HTML and text).
    pub fn is_document(&self) -> bool {
        matches!(self.detection.kind, SourceKind::Html | SourceKind::Text)
    }
}
