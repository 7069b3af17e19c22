//! The models committed under `crates/nlp/models/`, embedded in the binary and
//! each loaded once on first use.

use std::sync::{Arc, OnceLock};

use super::crf::Crf;
use super::{NerError, Recognizer};

/// Every embedded model file by name (written by `warta train ner`).
static FILES: &[(&str, &[u8])] = &[
    ("news", include_bytes!("../../models/news.wner")),
    ("joint", include_bytes!("../../models/joint.wner")),
];

/// A model loaded on first use (or why it did not load).
type Slot<T> = OnceLock<Result<T, String>>;

fn crf(name: &str) -> Result<Arc<Crf>, NerError> {
    static LOADED: OnceLock<Vec<Slot<Arc<Crf>>>> = OnceLock::new();
    let slots = LOADED.get_or_init(|| FILES.iter().map(|_| OnceLock::new()).collect());
    let k = FILES
        .iter()
        .position(|(n, _)| *n == name)
        .ok_or_else(|| NerError::UnknownModel(name.to_owned()))?;
    slots[k]
        .get_or_init(|| {
            Crf::from_bytes(FILES[k].1)
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| NerError::UnknownModel(format!("{name} ({e})")))
}

/// The embedded recognizer `name`, with its helper models, loaded once.
pub(super) fn recognizer(name: &str) -> Result<&'static Recognizer, NerError> {
    static MODELS: OnceLock<Vec<Slot<Recognizer>>> = OnceLock::new();
    const NAMES: [&str; 4] = ["news", "nergrit", "nerp", "idner2k"];
    let slots = MODELS.get_or_init(|| NAMES.iter().map(|_| OnceLock::new()).collect());
    let k = NAMES
        .iter()
        .position(|n| *n == name)
        .ok_or_else(|| NerError::UnknownModel(name.to_owned()))?;
    slots[k]
        .get_or_init(|| {
            let own_file = FILES.iter().any(|(n, _)| *n == name);
            if !own_file && name != "news" {
                // A per-set tagger served by the joint model.
                let joint = crf(super::JOINT_MODEL).map_err(|e| e.to_string())?;
                return Ok(Recognizer::set_view(joint, name));
            }
            let main = crf(name).map_err(|e| e.to_string())?;
            let helpers = main
                .helpers
                .iter()
                .map(|h| crf(h))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            Ok(Recognizer::new(main, helpers))
        })
        .as_ref()
        .map_err(|e| NerError::UnknownModel(format!("{name} ({e})")))
}
