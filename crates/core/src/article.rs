//! The article record: what warta knows about one news story.

use serde::{Deserialize, Serialize};

/// One news story as a reader sees it, plus what later stages learn about it.
///
/// Fields that later stages fill (`entities`, `quotes`, `times`, `events`) are
/// `None` when that stage has not run, and `Some(vec![])` when it ran and found
/// nothing; `None` fields are left out of the JSON record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Article {
    /// Stable id: from the canonical URL when known (`u…`), else from the content (`c…`).
    pub id: String,
    /// Where the page came from: a file path, `-` for stdin, or a URL.
    pub input: String,
    /// The address the page was fetched from (or given with `--url`).
    pub url: Option<String>,
    /// The page's own canonical address (`<link rel=canonical>`, `og:url`, JSON-LD `url`).
    pub canonical_url: Option<String>,
    /// The publication's host name without `www.`, e.g. `andalpost.com`.
    pub site: Option<String>,
    /// The publication's display name when the page states it (`og:site_name`, JSON-LD publisher).
    pub site_name: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// The standfirst or summary the page gives for itself (meta description).
    pub description: Option<String>,
    /// Publication time, ISO 8601: a full timestamp with offset, or a bare date (`2023-09-13`)
    /// when only the day is known.
    pub published: Option<String>,
    /// Last modification time, same format as `published`.
    pub modified: Option<String>,
    /// The byline: author names, in page order, without "By"/"Oleh" and without roles.
    pub authors: Vec<String>,
    /// The dateline opening the story (`ANDALPOST.COM`, `JAKARTA`, `WASHINGTON (Reuters)`).
    pub dateline: Option<String>,
    /// BCP 47 language tag of the article (`id`, `en`, …); `und` when unknown.
    pub language: String,
    /// Section or category the publication files the story under.
    pub section: Option<String>,
    /// In-body subheadings, in order.
    pub headings: Vec<String>,
    /// The body as a reader reads it: paragraphs and in-body headings in order, separated by
    /// blank lines. No title, captions, navigation, promos or related-link lists.
    pub text: String,
    /// The body paragraphs (without the subheadings), in order.
    pub paragraphs: Vec<String>,
    /// Photo captions with the credit split off.
    pub captions: Vec<Caption>,
    /// Images belonging to the story.
    pub images: Vec<Image>,
    /// The address of the story's next page, when the page links to one.
    pub next_page: Option<String>,
    /// True when the page says the story goes on and no next page was stitched in.
    pub continues: bool,
    /// How many pages were stitched into this record (1 for a single page).
    pub pages: u32,
    /// Things a careful reader of the record should know (truncation, guessed encoding, …).
    pub warnings: Vec<Warning>,
    /// Paragraphs whose language differs from the article's (filled by the analysis stage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph_languages: Option<Vec<ParagraphLanguage>>,
    /// Sentences of `text`, in order (filled by the analysis stage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentences: Option<Vec<Sentence>>,
    /// Named entities (filled by the analysis stage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<Entity>>,
    /// Quotes with their speakers (filled by the analysis stage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quotes: Option<Vec<Quote>>,
    /// Time expressions resolved to dates (filled by the analysis stage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times: Option<Vec<TimeExpression>>,
    /// Political events (filled by the events stage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<Event>>,
}

impl Article {
    /// Adds a warning with a stable machine-readable `code` and a human message.
    pub fn warn(&mut self, code: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            code: code.to_string(),
            message: message.into(),
        });
    }

    /// A record for text that comes without a page (a JSON line of pre-extracted
    /// text, a transcript): paragraphs are the blocks between blank lines, the id is
    /// the one given or else a hash of the content.
    pub fn from_text(
        id: Option<String>,
        input: &str,
        title: Option<String>,
        text: &str,
    ) -> Article {
        let mut a = Article {
            input: input.to_string(),
            title,
            language: "und".to_string(),
            pages: 1,
            ..Article::default()
        };
        let normalized = text.replace("\r\n", "\n");
        a.set_body(normalized.split("\n\n").map(|p| (false, p.trim())));
        a.id = id.unwrap_or_else(|| crate::article_id(None, a.title.as_deref(), &a.text));
        a
    }

    /// Rebuilds `text` from paragraphs and headings in reading order.
    ///
    /// `blocks` are `(is_heading, text)` pairs in page order; paragraphs go to
    /// `paragraphs`, headings to `headings`, both to `text`.
    pub fn set_body<I, S>(&mut self, blocks: I)
    where
        I: IntoIterator<Item = (bool, S)>,
        S: Into<String>,
    {
        self.text.clear();
        self.paragraphs.clear();
        self.headings.clear();
        for (is_heading, block) in blocks {
            let block: String = block.into();
            if block.trim().is_empty() {
                continue;
            }
            if !self.text.is_empty() {
                self.text.push_str("\n\n");
            }
            self.text.push_str(&block);
            if is_heading {
                self.headings.push(block);
            } else {
                self.paragraphs.push(block);
            }
        }
    }
}

/// Something worth knowing about how a record was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Stable code, e.g. `truncated`, `encoding_guessed`, `no_date`, `no_title`, `short_text`.
    pub code: String,
    /// What happened, for a person.
    pub message: String,
}

/// A photo caption, with the photographer or agency credit split from the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caption {
    /// What the photo shows.
    pub text: String,
    /// Who took or supplied it (`KCNA via AFP`), without the `Foto:`/`Photo:` label.
    pub credit: Option<String>,
}

/// An image that belongs to the story.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Absolute address of the image.
    pub src: String,
    /// The image's alternative text.
    pub alt: Option<String>,
    /// The caption shown with it, credit removed.
    pub caption: Option<String>,
    /// The credit shown with it.
    pub credit: Option<String>,
}

/// The language of one paragraph, reported where it differs from the article's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphLanguage {
    /// Index into [`Article::paragraphs`].
    pub paragraph: usize,
    /// ISO 639-1 code (`en`, `id`, `ms`, …), ISO 639-3 when there is none, or `und`.
    pub language: String,
}

/// One sentence of the article text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Start, in characters, within `text` of the article.
    pub start: usize,
    /// End (exclusive), in characters, within `text` of the article.
    pub end: usize,
    /// The words, numbers and punctuation marks as `[start, end)` character ranges
    /// within `text` (only when asked for: they make records several times larger).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Vec<[usize; 2]>>,
}

/// What kind of thing a named entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, agency, party, university, news agency, …
    Organization,
    /// A city, region, landmark or other place that is not a country.
    Place,
    /// A sovereign state (or a former one such as the Soviet Union).
    Country,
}

impl EntityKind {
    /// Its name as records, ids and exports write it (`person`, `organization`,
    /// `place`, `country`; the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organization => "organization",
            Self::Place => "place",
            Self::Country => "country",
        }
    }
}

/// A named entity, linked to one canonical identity however the text names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id of the canonical entity (e.g. `country:KP`, `person:vladimir-putin`).
    pub id: String,
    /// Canonical name (English where one is established: `North Korea`).
    pub name: String,
    /// Person, organisation, place or country.
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// ISO 3166-1 alpha-2 code of the country this entity is or belongs to.
    pub country: Option<String>,
    /// Role in the story when not a subject, e.g. `credit` for photo credits.
    pub role: Option<String>,
    /// Every place the text names it.
    pub mentions: Vec<Mention>,
}

/// One place in the record where an entity is named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The words as written.
    pub text: String,
    /// Which field of the record: `title`, `text`, `captions`, …
    pub field: String,
    /// Start, in characters, within that field.
    pub start: usize,
    /// End (exclusive), in characters, within that field.
    pub end: usize,
}

/// Something someone said, with who said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The words quoted (direct) or reported (indirect).
    pub text: String,
    /// Canonical name of the speaker, or `None` when no speaker can be found.
    pub speaker: Option<String>,
    /// Id of the speaker's entity.
    pub speaker_entity: Option<String>,
    /// The apposition describing the speaker (`sejarawan Korea Utara …`).
    pub speaker_description: Option<String>,
    /// True for words in quote marks, false for reported speech.
    pub direct: bool,
    /// The speech verb or phrase that attributes the quote (`kata`, `imbuhnya`, `he added`).
    pub cue: Option<String>,
    /// Start, in characters, within `text` of the article.
    pub start: usize,
    /// End (exclusive), in characters, within `text` of the article.
    pub end: usize,
}

/// A time expression resolved to a calendar value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeExpression {
    /// The words as written (`Selasa pagi`).
    pub text: String,
    /// ISO 8601 value: `2023-09-12`, `2023-09`, `2019`, `2023-W37`, or an interval `a/b`.
    pub value: String,
    /// Start, in characters, within `text` of the article.
    pub start: usize,
    /// End (exclusive), in characters, within `text` of the article.
    pub end: usize,
    /// `date`, `time`, `week`, `month`, `year`, `interval` or `duration`.
    pub kind: String,
}

/// Who did what to whom, where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// What happened (`meet`, `travel`, `invade`, …).
    pub kind: String,
    /// Entity ids of those who acted.
    pub actors: Vec<String>,
    /// Entity ids of those acted upon.
    pub targets: Vec<String>,
    /// Entity id of the place.
    pub place: Option<String>,
    /// ISO 8601 value of when.
    pub time: Option<String>,
    /// `happened`, `expected`, `possible` or `claimed`.
    pub status: String,
}
