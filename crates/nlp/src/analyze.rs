//! The analysis stage as a whole: language, sentences, entities, quotes, times.

use warta_core::{Analyzer, Article, Entity, ParagraphLanguage, Sentence};

use crate::gazetteer::Gazetteer;
use crate::language::LanguageIdentifier;
use crate::link::{Field, Linker, Words};
use crate::ner::Recognizer;
use crate::quotes::{NameAt, find_quotes};
use crate::segment::{CharOffsets, Segmenter, SentenceSpan};
use crate::times::{Date, find_times};

/// Paragraphs shorter than this (in characters) keep the article's language.
const MIN_PARAGRAPH_CHARS: usize = 80;

/// What `warta analyze` adds to a record, and how much detail it writes.
#[derive(Debug, Clone, Copy)]
pub struct AnalyzeOptions {
    /// Also list each sentence's tokens (records get several times larger).
    pub tokens: bool,
    /// Find quotes and their speakers.
    pub quotes: bool,
    /// Find and resolve time expressions.
    pub times: bool,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            tokens: false,
            quotes: true,
            times: true,
        }
    }
}

/// Finds language, sentences and linked entities in extracted articles.
#[derive(Debug)]
pub struct TextAnalyzer {
    options: AnalyzeOptions,
    languages: &'static LanguageIdentifier,
    segmenter: &'static Segmenter,
    gazetteer: &'static Gazetteer,
    recognizer: &'static Recognizer,
}

impl Default for TextAnalyzer {
    fn default() -> Self {
        TextAnalyzer::new(AnalyzeOptions::default())
    }
}

impl TextAnalyzer {
    /// An analyzer with the embedded models and tables.
    pub fn new(options: AnalyzeOptions) -> TextAnalyzer {
        TextAnalyzer {
            options,
            languages: LanguageIdentifier::shared(),
            segmenter: Segmenter::shared(),
            gazetteer: Gazetteer::shared(),
            recognizer: Recognizer::embedded(),
        }
    }

    /// Sets `language` and `paragraph_languages`.
    fn language(&self, a: &mut Article) {
        let body = if a.text.is_empty() {
            a.title.as_deref().unwrap_or("")
        } else {
            a.text.as_str()
        };
        let found = self.languages.identify(body);
        let declared = a
            .language
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        a.language = if found.code != "und" {
            found.code.to_string()
        } else if declared.len() >= 2 && declared.len() <= 3 && declared != "und" {
            declared
        } else {
            "und".to_string()
        };
        let mut differing = Vec::new();
        for (i, p) in a.paragraphs.iter().enumerate() {
            if p.len() < MIN_PARAGRAPH_CHARS || p.chars().count() < MIN_PARAGRAPH_CHARS {
                continue;
            }
            // Most paragraphs are in the article's language and a word count shows it;
            // only the others are identified in full.
            if self.languages.confirms(p, &a.language) {
                continue;
            }
            // An English paragraph in an Indonesian article (or the reverse) shows
            // itself the same way.
            let other = match a.language.as_str() {
                "id" => Some("en"),
                "en" => Some("id"),
                _ => None,
            };
            let l = match other {
                Some(code) if self.languages.confirms(p, code) => crate::language::Identified {
                    code,
                    reliable: true,
                },
                _ => self.languages.identify(p),
            };
            if l.reliable && l.code != a.language {
                differing.push(ParagraphLanguage {
                    paragraph: i,
                    language: l.code.to_string(),
                });
            }
        }
        a.paragraph_languages = Some(differing);
    }

    /// Runs the recogniser and the gazetteer over every sentence of one field.
    /// Returns the sentences when `keep` is set.
    fn names_in(
        &self,
        linker: &mut Linker<'_>,
        field: usize,
        text: &str,
        words: &mut Words,
        keep: Option<&mut Vec<(SentenceSpan, Vec<crate::segment::Token>)>>,
    ) {
        let mut keep = keep;
        let mut sentences = Vec::new();
        let mut hits = Vec::new();
        let mut block_start = 0;
        while block_start < text.len() {
            let block_end = text[block_start..]
                .find("\n\n")
                .map_or(text.len(), |i| block_start + i);
            let block = &text[block_start..block_end];
            words.fill(self.segmenter, block);
            sentences.clear();
            self.segmenter
                .sentences(block, &words.tokens, &mut sentences);
            let lower = words.lower();
            let shifted: Vec<crate::segment::Token> = words
                .tokens
                .iter()
                .map(|t| crate::segment::Token {
                    start: t.start + block_start,
                    end: t.end + block_start,
                })
                .collect();
            for s in &sentences {
                let toks = &words.tokens[s.tokens.clone()];
                let w: Vec<&str> = toks.iter().map(|t| t.text(block)).collect();
                let l = &lower[s.tokens.clone()];
                // In a headline written in Title Case every word looks like a name:
                // only the gazetteer speaks there.
                // (The title is the first field the linker is given: index 0.)
                let ner = if keep.is_none() && field == 0 && headline_case(&w) {
                    Vec::new()
                } else {
                    self.recognizer.recognize(&w)
                };
                hits.clear();
                self.gazetteer.find(&w, l, &mut hits);
                linker.add_sentence(field, &shifted[s.tokens.clone()], &w, l, &ner, &hits);
                if let Some(k) = keep.as_deref_mut() {
                    k.push((
                        SentenceSpan {
                            tokens: s.tokens.clone(),
                            start: s.start + block_start,
                            end: s.end + block_start,
                        },
                        shifted[s.tokens.clone()].to_vec(),
                    ));
                }
            }
            block_start = block_end + 2;
        }
    }
}

impl Analyzer for TextAnalyzer {
    fn analyze(&self, a: &mut Article) {
        self.language(a);
        let title = a.title.clone().unwrap_or_default();
        let text = std::mem::take(&mut a.text);
        let captions = std::mem::take(&mut a.captions);
        let names: Vec<(String, String)> = captions
            .iter()
            .enumerate()
            .map(|(i, _)| {
                (
                    format!("captions[{i}].text"),
                    format!("captions[{i}].credit"),
                )
            })
            .collect();
        let mut linker = Linker::new(self.gazetteer);
        let mut words = Words::default();
        let title_field = linker.add_field(Field {
            name: "title",
            text: &title,
        });
        self.names_in(&mut linker, title_field, &title, &mut words, None);
        let text_field = linker.add_field(Field {
            name: "text",
            text: &text,
        });
        let mut sentences = Vec::new();
        self.names_in(
            &mut linker,
            text_field,
            &text,
            &mut words,
            Some(&mut sentences),
        );
        for (c, (text_name, credit_name)) in captions.iter().zip(&names) {
            let f = linker.add_field(Field {
                name: text_name,
                text: &c.text,
            });
            self.names_in(&mut linker, f, &c.text, &mut words, None);
            if let Some(credit) = &c.credit {
                let f = linker.add_field(Field {
                    name: credit_name,
                    text: credit,
                });
                linker.add_credit(f);
            }
        }
        let mut entities = linker.finish();
        let mut offsets = CharOffsets::new(&text);
        let mut out = Vec::with_capacity(sentences.len());
        for (s, toks) in &sentences {
            let start = offsets.of(s.start);
            let end = offsets.of(s.end);
            let tokens = self.options.tokens.then(|| {
                let mut o = CharOffsets::new(&text);
                toks.iter().map(|t| [o.of(t.start), o.of(t.end)]).collect()
            });
            out.push(Sentence { start, end, tokens });
        }
        a.sentences = Some(out);
        if self.options.quotes {
            let names = names_in_text(&text, &entities);
            a.quotes = Some(find_quotes(&text, &names, &mut entities));
        }
        if self.options.times {
            let published = a.published.as_deref().and_then(Date::parse);
            a.times = Some(find_times(&text, published, &a.language));
        }
        a.entities = Some(entities);
        a.text = text;
        a.captions = captions;
    }
}

/// The mentions of `entities` in the article text, with byte offsets, by position.
fn names_in_text(text: &str, entities: &[Entity]) -> Vec<NameAt> {
    let mut names = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        for m in e.mentions.iter().filter(|m| m.field == "text") {
            names.push(NameAt {
                start: m.start,
                end: m.end,
                entity: i,
            });
        }
    }
    names.sort_by_key(|n| n.start);
    if !text.is_ascii() {
        // Character offsets to bytes, in one walk.
        let bytes: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()))
            .collect();
        for n in &mut names {
            n.start = bytes[n.start.min(bytes.len() - 1)];
            n.end = bytes[n.end.min(bytes.len() - 1)];
        }
    }
    names
}

/// True when most words of a sentence start with a capital, as headlines in
/// Title Case do (`Banjir Rob Rendam Pesisir Semarang`).
fn headline_case(words: &[&str]) -> bool {
    let alphabetic: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let capitalised = alphabetic
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    alphabetic.len() >= 4 && capitalised * 10 >= alphabetic.len() * 7
}
