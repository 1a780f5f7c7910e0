//! Records as a Parquet file: one column per record field (from
//! [`crate::record::FIELDS`]), zstd-compressed, row groups of at most
//! [`ROW_GROUP_BYTES`] encoded bytes, written under a temporary name, synced
//! and renamed into place by [`ParquetWriter::finish`].
//!
//! Columns: strings (`utf8`) for text fields, non-null where the record's
//! field always has a value; `list<utf8>` for `authors`; `bool` for flags.
//! Times stay RFC 3339 strings, exactly as in the JSON record.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::{Compression, ZstdLevel};
use ::parquet::file::properties::WriterProperties;
use anyhow::{Context, Result};
use arrow_array::builder::{BooleanBuilder, ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, BooleanArray, ListArray, RecordBatch, StringArray};
use arrow_schema::{DataType, Field as ArrowField, Schema, SchemaRef};
use serde_json::{Map, Value};

use super::atomic::TempFile;
use crate::record::{Field, Record, FIELDS};

/// Rows buffered before they are handed to the Parquet writer as a batch.
const BATCH_ROWS: usize = 1024;
/// Text bytes buffered before a batch is handed over (keeps string offsets
/// far from their 2 GiB limit whatever the bodies weigh).
const BATCH_TEXT_BYTES: usize = 16 * 1024 * 1024;
/// Most encoded bytes in one row group: large enough for efficient scans,
/// small enough that a reader (or a dataset viewer) loads one comfortably.
pub const ROW_GROUP_BYTES: usize = 64 * 1024 * 1024;
/// Most rows in one row group.
pub const ROW_GROUP_ROWS: usize = 100_000;

/// The Arrow schema of the records, from [`FIELDS`].
pub fn schema() -> SchemaRef {
    let fields: Vec<ArrowField> = FIELDS
        .iter()
        .map(|f| match f {
            Field::Text(name, _) => ArrowField::new(*name, DataType::Utf8, false),
            Field::OptText(name, _) => ArrowField::new(*name, DataType::Utf8, true),
            Field::TextList(name, _) => ArrowField::new(
                *name,
                DataType::List(Arc::new(ArrowField::new("item", DataType::Utf8, false))),
                false,
            ),
            Field::Flag(name, _) => ArrowField::new(*name, DataType::Boolean, false),
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// The column being filled for one field.
enum Builder {
    Text(StringBuilder),
    List(ListBuilder<StringBuilder>),
    Flag(BooleanBuilder),
}

impl Builder {
    fn for_field(field: &Field) -> Self {
        match field {
            Field::Text(..) | Field::OptText(..) => Self::Text(StringBuilder::new()),
            Field::TextList(..) => Self::List(
                ListBuilder::new(StringBuilder::new()).with_field(Arc::new(ArrowField::new(
                    "item",
                    DataType::Utf8,
                    false,
                ))),
            ),
            Field::Flag(..) => Self::Flag(BooleanBuilder::new()),
        }
    }

    /// Appends the field of `record`; returns the text bytes added.
    fn append(&mut self, field: &Field, record: &Record) -> usize {
        match (self, field) {
            (Self::Text(b), Field::Text(_, get)) => {
                let v = get(record);
                b.append_value(v);
                v.len()
            }
            (Self::Text(b), Field::OptText(_, get)) => {
                let v = get(record);
                b.append_option(v);
                v.map_or(0, str::len)
            }
            (Self::List(b), Field::TextList(_, get)) => {
                let items = get(record);
                for item in items {
                    b.values().append_value(item);
                }
                b.append(true);
                items.iter().map(String::len).sum()
            }
            (Self::Flag(b), Field::Flag(_, get)) => {
                b.append_value(get(record));
                0
            }
            _ => unreachable!("builders are made from the same field table"),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Self::Text(b) => Arc::new(b.finish()),
            Self::List(b) => Arc::new(b.finish()),
            Self::Flag(b) => Arc::new(b.finish()),
        }
    }
}

/// Writes records to one Parquet file: open, append, finish. Dropped
/// without [`ParquetWriter::finish`], nothing appears at the destination.
pub struct ParquetWriter {
    temp: TempFile,
    writer: ArrowWriter<File>,
    schema: SchemaRef,
    builders: Vec<Builder>,
    buffered_rows: usize,
    buffered_bytes: usize,
    rows: u64,
}

impl ParquetWriter {
    /// Starts a file that will appear at `dest` once finished.
    pub fn create(dest: &Path) -> Result<Self> {
        let (temp, file) = TempFile::create(dest)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("newscrawl {}", env!("CARGO_PKG_VERSION")))
            .build();
        let schema = schema();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props))
            .with_context(|| format!("{}: cannot start Parquet file", dest.display()))?;
        Ok(Self {
            temp,
            writer,
            schema,
            builders: FIELDS.iter().map(Builder::for_field).collect(),
            buffered_rows: 0,
            buffered_bytes: 0,
            rows: 0,
        })
    }

    /// Appends one record as a row.
    pub fn append(&mut self, record: &Record) -> Result<()> {
        for (builder, field) in self.builders.iter_mut().zip(FIELDS) {
            self.buffered_bytes += builder.append(field, record);
        }
        self.buffered_rows += 1;
        self.rows += 1;
        if self.buffered_rows >= BATCH_ROWS || self.buffered_bytes >= BATCH_TEXT_BYTES {
            self.write_batch()?;
        }
        Ok(())
    }

    /// Rows appended so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    fn write_batch(&mut self) -> Result<()> {
        if self.buffered_rows == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), columns)
            .context("records do not fit the Parquet schema")?;
        self.writer
            .write(&batch)
            .with_context(|| format!("{}: cannot write Parquet", self.temp.dest().display()))?;
        self.buffered_rows = 0;
        self.buffered_bytes = 0;
        Ok(())
    }

    /// Writes what is buffered and the footer, syncs the file and renames it
    /// into place; returns the number of rows.
    pub fn finish(mut self) -> Result<u64> {
        self.write_batch()?;
        let dest = self.temp.dest().display().to_string();
        let file = self
            .writer
            .into_inner()
            .with_context(|| format!("{dest}: cannot finish Parquet file"))?;
        self.temp.commit(file)?;
        Ok(self.rows)
    }
}

/// Reads a Parquet file's rows back as JSON objects, column by column,
/// whatever its schema (strings, lists of strings, booleans): for checks
/// that rows equal the JSON records.
pub fn read_rows(path: &Path) -> Result<Vec<Map<String, Value>>> {
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .with_context(|| format!("{}: not a Parquet file", path.display()))?;
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.with_context(|| format!("{}: cannot read", path.display()))?;
        let schema = batch.schema();
        for i in 0..batch.num_rows() {
            let mut row = Map::new();
            for (field, column) in schema.fields().iter().zip(batch.columns()) {
                row.insert(field.name().clone(), cell(column.as_ref(), i)?);
            }
            rows.push(row);
        }
    }
    Ok(rows)
}

/// One cell as a JSON value.
fn cell(column: &dyn Array, i: usize) -> Result<Value> {
    if column.is_null(i) {
        return Ok(Value::Null);
    }
    let any = column.as_any();
    if let Some(s) = any.downcast_ref::<StringArray>() {
        return Ok(Value::String(s.value(i).to_string()));
    }
    if let Some(b) = any.downcast_ref::<BooleanArray>() {
        return Ok(Value::Bool(b.value(i)));
    }
    if let Some(l) = any.downcast_ref::<ListArray>() {
        let items = l.value(i);
        return (0..items.len())
            .map(|j| cell(items.as_ref(), j))
            .collect::<Result<Vec<_>>>()
            .map(Value::Array);
    }
    anyhow::bail!("unexpected column type {}", column.data_type())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: usize) -> Record {
        Record {
            id: format!("{n:016x}"),
            url: format!("https://example.com/{n}"),
            site: "example.com".into(),
            title: n.is_multiple_of(2).then(|| format!("Title {n}")),
            authors: (0..n % 3).map(|a| format!("Author {a}")).collect(),
            published: Some("2024-05-01T10:00:00+02:00".into()),
            modified: None,
            language: Some("it".into()),
            description: None,
            body: format!("Paragraph {n}.\n\nSecond paragraph, è più lungo."),
            extractor: "generic".into(),
            fetched_at: None,
            paywalled: n.is_multiple_of(5),
        }
    }

    #[test]
    fn rows_read_back_equal_the_json_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.parquet");
        let records: Vec<Record> = (0..2500).map(record).collect();
        let mut w = ParquetWriter::create(&path).unwrap();
        for r in &records {
            w.append(r).unwrap();
        }
        assert!(!path.exists(), "nothing at the destination before finish");
        assert_eq!(w.finish().unwrap(), 2500);
        let rows = read_rows(&path).unwrap();
        assert_eq!(rows.len(), records.len());
        for (row, r) in rows.iter().zip(&records) {
            let Value::Object(json) = serde_json::to_value(r).unwrap() else {
                unreachable!()
            };
            assert_eq!(row, &json);
        }
    }

    #[test]
    fn an_unfinished_writer_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.parquet");
        let mut w = ParquetWriter::create(&path).unwrap();
        w.append(&record(1)).unwrap();
        drop(w);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
