//! Named-entity recognition: a statistical sequence tagger trained here.
