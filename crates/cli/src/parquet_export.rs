//! `warta export --format parquet`: the stored articles as one Apache Parquet file,
//! for researchers' own tools (pandas, polars, DuckDB, Spark, R's arrow).
//!
//! One row an article. Scalars are columns of their own; authors, entities,
//! quotes, times and copies are lists (of structs), so a reader gets typed
//! nested data rather than JSON strings. Rows are written in row groups of
//! [`ROWS_PER_GROUP`] articles, so memory stays bounded however large the store.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use warta_core::Article;
use warta_store::StoredArticle;

/// Articles per row group.
const ROWS_PER_GROUP: usize = 2048;

/// The file's schema. Its leaf columns, in order, are the columns
/// [`Columns::new`] makes; a test checks the two agree.
const SCHEMA: &str = "
message article {
  required binary id (STRING);
  optional binary url (STRING);
  optional binary canonical_url (STRING);
  optional binary site (STRING);
  optional binary site_name (STRING);
  optional binary title (STRING);
  optional binary description (STRING);
  optional binary published (STRING);
  optional binary modified (STRING);
  required group authors (LIST) {
    repeated group list { required binary element (STRING); }
  }
  optional binary dateline (STRING);
  required binary language (STRING);
  optional binary section (STRING);
  required int32 pages;
  required boolean continues;
  required int32 revision;
  optional binary duplicate_of (STRING);
  required group copies (LIST) {
    repeated group list {
      required group element {
        required binary id (STRING);
        optional binary url (STRING);
        optional binary site (STRING);
        optional binary title (STRING);
      }
    }
  }
  required group entities (LIST) {
    repeated group list {
      required group element {
        required binary id (STRING);
        required binary name (STRING);
        required binary type (STRING);
        optional binary country (STRING);
        optional binary role (STRING);
        required int32 mentions;
      }
    }
  }
  required group quotes (LIST) {
    repeated group list {
      required group element {
        required binary text (STRING);
        optional binary speaker (STRING);
        optional binary speaker_entity (STRING);
        required boolean direct;
        optional binary cue (STRING);
        required int64 start;
        required int64 end;
      }
    }
  }
  required group times (LIST) {
    repeated group list {
      required group element {
        required binary text (STRING);
        required binary value (STRING);
        required binary kind (STRING);
        required int64 start;
        required int64 end;
      }
    }
  }
  required binary text (STRING);
}
";

/// The values of one leaf column for a row group, with their Dremel levels.
#[derive(Debug)]
struct Column {
    values: Values,
    defs: Vec<i16>,
    reps: Vec<i16>,
    /// Whether the column is inside a list (it then has repetition levels).
    in_list: bool,
    /// Its maximum definition level (0: required everywhere).
    max_def: i16,
}

#[derive(Debug)]
enum Values {
    Text(Vec<ByteArray>),
    Int32(Vec<i32>),
    Int64(Vec<i64>),
    Bool(Vec<bool>),
}

/// One value of a leaf (`None` for a null of an optional field).
#[derive(Clone, Copy)]
enum Value<'a> {
    Text(Option<&'a str>),
    Int32(i32),
    Int64(i64),
    Bool(bool),
}

impl Column {
    fn new(values: Values, in_list: bool, optional: bool) -> Self {
        Self {
            values,
            defs: Vec::new(),
            reps: Vec::new(),
            in_list,
            max_def: i16::from(in_list) + i16::from(optional),
        }
    }

    /// Adds one value at definition level `def` (when present) with repetition `rep`.
    fn push(&mut self, value: Value<'_>, rep: i16) {
        let present_def = self.max_def;
        let def = match (&value, &mut self.values) {
            (Value::Text(Some(s)), Values::Text(v)) => {
                v.push(ByteArray::from(s.as_bytes().to_vec()));
                present_def
            }
            (Value::Text(None), Values::Text(_)) => present_def - 1,
            (Value::Int32(x), Values::Int32(v)) => {
                v.push(*x);
                present_def
            }
            (Value::Int64(x), Values::Int64(v)) => {
                v.push(*x);
                present_def
            }
            (Value::Bool(x), Values::Bool(v)) => {
                v.push(*x);
                present_def
            }
            _ => unreachable!("a value of the wrong type for its column"),
        };
        self.defs.push(def);
        self.reps.push(rep);
    }

    /// An empty list in this row: nothing defined below the list.
    fn push_empty_list(&mut self) {
        self.defs.push(0);
        self.reps.push(0);
    }

    fn clear(&mut self) {
        match &mut self.values {
            Values::Text(v) => v.clear(),
            Values::Int32(v) => v.clear(),
            Values::Int64(v) => v.clear(),
            Values::Bool(v) => v.clear(),
        }
        self.defs.clear();
        self.reps.clear();
    }
}

/// Fills the leaf columns `cols` of one list field from `items`, one
/// closure a leaf giving that leaf's value of an item.
fn push_list<T>(cols: &mut [Column], items: &[T], leaves: &[&dyn Fn(&T) -> Value<'_>]) {
    debug_assert_eq!(cols.len(), leaves.len());
    for (col, leaf) in cols.iter_mut().zip(leaves) {
        if items.is_empty() {
            col.push_empty_list();
        }
        for (k, item) in items.iter().enumerate() {
            col.push(leaf(item), i16::from(k > 0));
        }
    }
}

/// The row group being filled: every leaf column of [`SCHEMA`], in order.
#[derive(Debug)]
struct Columns(Vec<Column>);

impl Columns {
    fn new() -> Self {
        use Values::{Bool, Int32, Int64, Text};
        let t = || Text(Vec::new());
        let scalar = |v: Values, optional: bool| Column::new(v, false, optional);
        let item = |v: Values, optional: bool| Column::new(v, true, optional);
        Self(vec![
            scalar(t(), false), // id
            scalar(t(), true),  // url
            scalar(t(), true),  // canonical_url
            scalar(t(), true),  // site
            scalar(t(), true),  // site_name
            scalar(t(), true),  // title
            scalar(t(), true),  // description
            scalar(t(), true),  // published
            scalar(t(), true),  // modified
            item(t(), false),   // authors
            scalar(t(), true),  // dateline
            scalar(t(), false), // language
            scalar(t(), true),  // section
            scalar(Int32(Vec::new()), false),
            scalar(Bool(Vec::new()), false),
            scalar(Int32(Vec::new()), false),
            scalar(t(), true), // duplicate_of
            // copies
            item(t(), false),
            item(t(), true),
            item(t(), true),
            item(t(), true),
            // entities
            item(t(), false),
            item(t(), false),
            item(t(), false),
            item(t(), true),
            item(t(), true),
            item(Int32(Vec::new()), false),
            // quotes
            item(t(), false),
            item(t(), true),
            item(t(), true),
            item(Bool(Vec::new()), false),
            item(t(), true),
            item(Int64(Vec::new()), false),
            item(Int64(Vec::new()), false),
            // times
            item(t(), false),
            item(t(), false),
            item(t(), false),
            item(Int64(Vec::new()), false),
            item(Int64(Vec::new()), false),
            scalar(t(), false), // text
        ])
    }

    /// Appends one article as a row.
    fn push(&mut self, stored: &StoredArticle, site: Option<&str>) {
        let a: &Article = &stored.article;
        let c = &mut self.0;
        fn s(x: &Option<String>) -> Value<'_> {
            Value::Text(x.as_deref())
        }
        c[0].push(Value::Text(Some(&a.id)), 0);
        c[1].push(s(&a.url), 0);
        c[2].push(s(&a.canonical_url), 0);
        c[3].push(Value::Text(site.or(a.site.as_deref())), 0);
        c[4].push(s(&a.site_name), 0);
        c[5].push(s(&a.title), 0);
        c[6].push(s(&a.description), 0);
        c[7].push(s(&a.published), 0);
        c[8].push(s(&a.modified), 0);
        push_list(
            &mut c[9..10],
            &a.authors,
            &[&|x: &String| Value::Text(Some(x))],
        );
        c[10].push(s(&a.dateline), 0);
        c[11].push(Value::Text(Some(&a.language)), 0);
        c[12].push(s(&a.section), 0);
        c[13].push(Value::Int32(to_i32(a.pages)), 0);
        c[14].push(Value::Bool(a.continues), 0);
        c[15].push(Value::Int32(to_i32(stored.revision)), 0);
        c[16].push(s(&stored.duplicate_of), 0);
        push_list(
            &mut c[17..21],
            &stored.copies,
            &[
                &|x: &warta_store::Copy| Value::Text(Some(&x.id)),
                &|x| Value::Text(x.url.as_deref()),
                &|x| Value::Text(x.site.as_deref()),
                &|x| Value::Text(x.title.as_deref()),
            ],
        );
        let entities: Vec<&warta_core::Entity> = a.entities.iter().flatten().collect();
        push_list(
            &mut c[21..27],
            &entities,
            &[
                &|x: &&warta_core::Entity| Value::Text(Some(&x.id)),
                &|x| Value::Text(Some(&x.name)),
                &|x| Value::Text(Some(x.kind.as_str())),
                &|x| Value::Text(x.country.as_deref()),
                &|x| Value::Text(x.role.as_deref()),
                &|x| Value::Int32(i32::try_from(x.mentions.len()).unwrap_or(i32::MAX)),
            ],
        );
        let quotes: &[warta_core::Quote] = a.quotes.as_deref().unwrap_or_default();
        push_list(
            &mut c[27..34],
            quotes,
            &[
                &|x: &warta_core::Quote| Value::Text(Some(&x.text)),
                &|x| Value::Text(x.speaker.as_deref()),
                &|x| Value::Text(x.speaker_entity.as_deref()),
                &|x| Value::Bool(x.direct),
                &|x| Value::Text(x.cue.as_deref()),
                &|x| Value::Int64(to_i64(x.start)),
                &|x| Value::Int64(to_i64(x.end)),
            ],
        );
        let times: &[warta_core::TimeExpression] = a.times.as_deref().unwrap_or_default();
        push_list(
            &mut c[34..39],
            times,
            &[
                &|x: &warta_core::TimeExpression| Value::Text(Some(&x.text)),
                &|x| Value::Text(Some(&x.value)),
                &|x| Value::Text(Some(&x.kind)),
                &|x| Value::Int64(to_i64(x.start)),
                &|x| Value::Int64(to_i64(x.end)),
            ],
        );
        c[39].push(Value::Text(Some(&a.text)), 0);
    }
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Writes articles to a Parquet file, a row group at a time.
pub(crate) struct ParquetExport {
    writer: SerializedFileWriter<File>,
    columns: Columns,
    rows: usize,
    path: String,
}

impl std::fmt::Debug for ParquetExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetExport")
            .field("path", &self.path)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl ParquetExport {
    /// Creates (or truncates) the file at `path`.
    pub(crate) fn create(path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        let schema = Arc::new(parse_message_type(SCHEMA).context("the Parquet schema")?);
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("warta {}", env!("CARGO_PKG_VERSION")))
                .build(),
        );
        let file = File::create(path).with_context(|| format!("cannot create {shown}"))?;
        let writer = SerializedFileWriter::new(file, schema, props)
            .with_context(|| format!("cannot start the Parquet file {shown}"))?;
        Ok(Self {
            writer,
            columns: Columns::new(),
            rows: 0,
            path: shown,
        })
    }

    /// Adds one article (`site` as the store lists it).
    pub(crate) fn push(&mut self, stored: &StoredArticle, site: Option<&str>) -> Result<()> {
        self.columns.push(stored, site);
        self.rows += 1;
        if self.rows == ROWS_PER_GROUP {
            self.write_group()?;
        }
        Ok(())
    }

    fn write_group(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let path = &self.path;
        let mut group = self
            .writer
            .next_row_group()
            .with_context(|| format!("{path}: cannot start a row group"))?;
        let mut leaves = self.columns.0.iter_mut();
        while let Some(mut writer) = group.next_column()? {
            let col = leaves
                .next()
                .context("the Parquet schema has more columns than the rows")?;
            let defs = (col.max_def > 0).then_some(col.defs.as_slice());
            let reps = col.in_list.then_some(col.reps.as_slice());
            match &col.values {
                Values::Text(v) => writer.typed::<ByteArrayType>().write_batch(v, defs, reps)?,
                Values::Int32(v) => writer.typed::<Int32Type>().write_batch(v, defs, reps)?,
                Values::Int64(v) => writer.typed::<Int64Type>().write_batch(v, defs, reps)?,
                Values::Bool(v) => writer.typed::<BoolType>().write_batch(v, defs, reps)?,
            };
            writer.close()?;
            col.clear();
        }
        group
            .close()
            .with_context(|| format!("{path}: cannot write a row group"))?;
        self.rows = 0;
        Ok(())
    }

    /// Writes the last row group and the file's footer.
    pub(crate) fn finish(mut self) -> Result<()> {
        self.write_group()?;
        let path = self.path.clone();
        self.writer
            .close()
            .with_context(|| format!("{path}: cannot finish the Parquet file"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    fn article(id: &str, copies: usize) -> StoredArticle {
        let mut a = Article {
            id: id.into(),
            language: "id".into(),
            title: Some(format!("Judul {id}")),
            text: "Korut menembakkan rudal, kata dia.".into(),
            pages: 1,
            authors: vec!["Budi".into(), "Sari".into()],
            ..Article::default()
        };
        a.entities = Some(vec![warta_core::Entity {
            id: "country:KP".into(),
            name: "North Korea".into(),
            kind: warta_core::EntityKind::Country,
            country: None,
            role: None,
            mentions: Vec::new(),
        }]);
        a.quotes = Some(vec![warta_core::Quote {
            text: "Korut menembakkan rudal".into(),
            speaker: None,
            speaker_entity: None,
            speaker_description: None,
            direct: false,
            cue: Some("kata".into()),
            start: 0,
            end: 23,
        }]);
        StoredArticle {
            article: a,
            revision: 1,
            duplicate_of: None,
            copies: (0..copies)
                .map(|k| warta_store::Copy {
                    id: format!("{id}-copy{k}"),
                    url: Some(format!("https://b.example/{k}")),
                    site: None,
                    title: None,
                })
                .collect(),
            first_seen: String::new(),
            updated: String::new(),
        }
    }

    #[test]
    fn schema_and_columns_agree() {
        let schema = parse_message_type(SCHEMA).unwrap();
        let descr = parquet::schema::types::SchemaDescriptor::new(Arc::new(schema));
        assert_eq!(descr.num_columns(), Columns::new().0.len());
        for (k, col) in Columns::new().0.iter().enumerate() {
            let leaf = descr.column(k);
            assert_eq!(leaf.max_def_level(), col.max_def, "{}", leaf.path());
            assert_eq!(leaf.max_rep_level() > 0, col.in_list, "{}", leaf.path());
        }
    }

    #[test]
    fn rows_read_back_with_their_lists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.parquet");
        let mut out = ParquetExport::create(&path).unwrap();
        let n = ROWS_PER_GROUP + 3;
        for i in 0..n {
            out.push(&article(&format!("a{i}"), i % 3), Some("a.example"))
                .unwrap();
        }
        out.finish().unwrap();
        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        assert_eq!(reader.metadata().num_row_groups(), 2);
        let rows: Vec<_> = reader
            .get_row_iter(None)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows.len(), n);
        let row = &rows[2];
        let get = |name: &str| {
            row.get_column_iter()
                .find(|(k, _)| k.as_str() == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get("id"), Field::Str("a2".into()));
        assert_eq!(get("site"), Field::Str("a.example".into()));
        assert_eq!(get("url"), Field::Null);
        assert_eq!(get("pages"), Field::Int(1));
        let Field::ListInternal(copies) = get("copies") else {
            panic!("copies is not a list")
        };
        assert_eq!(copies.len(), 2);
        let Field::ListInternal(authors) = get("authors") else {
            panic!("authors is not a list")
        };
        assert_eq!(
            authors.elements(),
            &[Field::Str("Budi".into()), Field::Str("Sari".into())]
        );
        let Field::ListInternal(entities) = get("entities") else {
            panic!("entities is not a list")
        };
        let Field::Group(e) = &entities.elements()[0] else {
            panic!("an entity is not a struct")
        };
        let e: Vec<_> = e
            .get_column_iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert!(e.contains(&("type".into(), Field::Str("country".into()))));
        assert!(e.contains(&("country".into(), Field::Null)));
        let Field::ListInternal(quotes) = get("quotes") else {
            panic!("quotes is not a list")
        };
        assert_eq!(quotes.len(), 1);
        let Field::ListInternal(times) = get("times") else {
            panic!("times is not a list")
        };
        assert_eq!(times.len(), 0);
        // A row with no copies has an empty list, not a null.
        let Field::ListInternal(none) = rows[0]
            .get_column_iter()
            .find(|(k, _)| k.as_str() == "copies")
            .map(|(_, v)| v.clone())
            .unwrap()
        else {
            panic!("copies is not a list")
        };
        assert_eq!(none.len(), 0);
    }
}
