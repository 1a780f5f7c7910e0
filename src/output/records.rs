//! Where `extract` writes its records: standard output, or the file named
//! by `--out`. A file is written whole under a temporary name and renamed
//! into place at the end, so an existing file is replaced only by a complete
//! new one (a failed or interrupted run leaves it untouched).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

use super::atomic::TempFile;
use super::parquet::ParquetWriter;
use crate::cli::Format;
use crate::record::Record;

/// The record output of one `extract` run.
pub struct RecordOutput {
    sink: Sink,
    written: u64,
}

enum Sink {
    Stdout(Format, std::io::Stdout),
    File(Format, TempFile, BufWriter<File>),
    Parquet(Box<ParquetWriter>),
}

impl RecordOutput {
    /// Records to standard output, as JSON lines or bodies.
    pub fn stdout(format: Format) -> Result<Self> {
        if format == Format::Parquet {
            anyhow::bail!("--format parquet needs --out FILE");
        }
        Ok(Self {
            sink: Sink::Stdout(format, std::io::stdout()),
            written: 0,
        })
    }

    /// Records to `path`, which appears (replacing any file there) when
    /// [`RecordOutput::finish`] succeeds.
    pub fn file(path: &Path, format: Format) -> Result<Self> {
        let sink = match format {
            Format::Parquet => Sink::Parquet(Box::new(ParquetWriter::create(path)?)),
            other => {
                let (temp, file) = TempFile::create(path)?;
                Sink::File(other, temp, BufWriter::with_capacity(256 * 1024, file))
            }
        };
        Ok(Self { sink, written: 0 })
    }

    /// Writes one record: a JSON line, a body (after a form-feed line when
    /// it is not the first), or a Parquet row.
    pub fn write(&mut self, record: &Record) -> Result<()> {
        let first = self.written == 0;
        match &mut self.sink {
            Sink::Stdout(format, out) => write_text(&mut out.lock(), *format, record, first)?,
            Sink::File(format, temp, out) => write_text(out, *format, record, first)
                .with_context(|| format!("{}: cannot write", temp.dest().display()))?,
            Sink::Parquet(w) => w.append(record)?,
        }
        self.written += 1;
        Ok(())
    }

    /// Pushes what is written to standard output (a file is only complete
    /// at [`RecordOutput::finish`]).
    pub fn flush(&mut self) -> Result<()> {
        if let Sink::Stdout(_, out) = &mut self.sink {
            out.flush()?;
        }
        Ok(())
    }

    /// Completes the output: flushes standard output, or syncs the file and
    /// renames it into place.
    pub fn finish(self) -> Result<()> {
        match self.sink {
            Sink::Stdout(_, mut out) => out.flush()?,
            Sink::File(_, temp, out) => {
                let dest = temp.dest().display().to_string();
                let file = out
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("{dest}: cannot write"))?;
                temp.commit(file)?;
            }
            Sink::Parquet(w) => {
                w.finish()?;
            }
        }
        Ok(())
    }
}

fn write_text(out: &mut impl Write, format: Format, record: &Record, first: bool) -> Result<()> {
    match format {
        Format::Text => {
            if !first {
                out.write_all(b"\x0c\n")?;
            }
            out.write_all(record.body.as_bytes())?;
            out.write_all(b"\n")?;
        }
        _ => out.write_all(record.to_json_line().as_bytes())?,
    }
    Ok(())
}
