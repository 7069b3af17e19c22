//! Reading documents from files, directories and stdin, with size caps.
//!
//! Gzip-compressed inputs are recognised by their magic bytes (whatever their
//! name) and decompressed with a cap on the decompressed size, so a gzip bomb
//! costs at most the cap in memory.

use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;
use warta_core::RawDoc;

/// Default largest document read, after decompression: 16 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 16 << 20;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file or stdin could not be read.
    #[error("{input}: cannot read it: {source}")]
    Io {
        /// The input named.
        input: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The gzip stream is corrupt.
    #[error("{input}: the gzip data is corrupt ({source}); re-download the file")]
    Gzip {
        /// The input named.
        input: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Reads one input (a path, or `-` for stdin) into a [`RawDoc`], decompressing gzip and
/// reading at most `max_bytes` (the rest is dropped and `truncated` set).
///
/// # Errors
/// [`InputError`] when the input cannot be read or its gzip stream is corrupt.
pub fn read_input(input: &str, max_bytes: u64) -> Result<RawDoc, InputError> {
    let io_err = |source| InputError::Io {
        input: input.to_string(),
        source,
    };
    let mut raw = Vec::new();
    // Read one byte more than allowed so truncation can be told apart.
    let limit = max_bytes.saturating_add(1);
    if input == "-" {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut raw)
            .map_err(io_err)?;
    } else {
        std::fs::File::open(input)
            .map_err(io_err)?
            .take(limit)
            .read_to_end(&mut raw)
            .map_err(io_err)?;
    }
    let mut doc = RawDoc {
        input: input.to_string(),
        ..RawDoc::default()
    };
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        let reader = MultiGzDecoder::new(&raw[..]);
        match reader.take(limit).read_to_end(&mut out) {
            Ok(_) => {}
            // A truncated gzip stream still gives what it had.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !out.is_empty() => {}
            Err(source) => {
                return Err(InputError::Gzip {
                    input: input.to_string(),
                    source,
                });
            }
        }
        raw = out;
    }
    if raw.len() as u64 > max_bytes {
        raw.truncate(max_bytes as usize);
        doc.truncated = true;
    }
    doc.bytes = raw;
    Ok(doc)
}

/// True for file names extraction reads: `.html`, `.htm`, `.xhtml`, `.txt`, with or without `.gz`.
pub fn is_document_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".html", ".htm", ".xhtml", ".txt", ".shtml"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Expands inputs: directories are walked (sorted, documents only), files and `-` kept as given.
pub fn expand_inputs(inputs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for input in inputs {
        let path = PathBuf::from(input);
        if input != "-" && path.is_dir() {
            let mut found: Vec<String> = walk(&path)
                .into_iter()
                .filter(|p| is_document_name(p))
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                Ok(t) if t.is_file() => out.push(p),
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_is_decompressed_and_capped() {
        let dir = std::env::temp_dir().join(format!("warta-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.html.gz");
        std::fs::write(&p, gz(b"<p>hello</p>")).unwrap();
        let d = read_input(p.to_str().unwrap(), 1024).unwrap();
        assert_eq!(d.bytes, b"<p>hello</p>");
        assert!(!d.truncated);
        // A bomb: 50 MB of zeros compresses to ~50 KB; only the cap is read.
        let bomb = dir.join("bomb.html.gz");
        std::fs::write(&bomb, gz(&vec![b'a'; 50 << 20])).unwrap();
        let d = read_input(bomb.to_str().unwrap(), 1 << 20).unwrap();
        assert_eq!(d.bytes.len(), 1 << 20);
        assert!(d.truncated);
        let names = expand_inputs(&[dir.to_string_lossy().into_owned()]);
        assert_eq!(names.len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_file_names_the_input() {
        let e = read_input("/no/such/file.html", 10).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("/no/such/file.html: cannot read it")
        );
    }
}
