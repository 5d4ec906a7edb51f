use crate::dataset::{Kind, OutTable, Value};
use arrow_array::{ArrayRef, Decimal128Array, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::io::Write;
use std::sync::Arc;

const PRECISION: u8 = 38;
/// zstd at its default level: the real corpus's files come out about 2.3× smaller than
/// uncompressed, and every reader the README names (DuckDB, pyarrow/pandas, polars, Spark)
/// reads it.
fn compression() -> Compression {
    Compression::ZSTD(ZstdLevel::default())
}
/// Rows per row group: the writer holds one group in memory, so this bounds its memory
/// while keeping groups large enough for readers to skip through.
const ROW_GROUP_ROWS: usize = 65_536;

/// Parquet with exact decimals, written as rows arrive: amounts are DECIMAL(38, scale),
/// rescaled without rounding loss (values finer than the scale are rejected, never rounded
/// silently).
pub struct ParquetSink<W: Write + Send> {
    name: &'static str,
    schema: SchemaRef,
    writer: ArrowWriter<W>,
}

impl<W: Write + Send> ParquetSink<W> {
    /// A file for rows shaped like `columns` (its rows are not written).
    pub fn new(out: W, columns: &OutTable) -> std::io::Result<Self> {
        let fields: Vec<Field> = columns.columns.iter().map(|(name, kind)| Field::new(*name, data_type(*kind), true)).collect();
        let schema = Arc::new(Schema::new(fields));
        let props = WriterProperties::builder().set_max_row_group_row_count(Some(ROW_GROUP_ROWS)).set_compression(compression()).build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(std::io::Error::other)?;
        Ok(ParquetSink { name: columns.name, schema, writer })
    }

    pub fn append(&mut self, table: &OutTable) -> std::io::Result<()> {
        if table.rows.is_empty() {
            return Ok(());
        }
        let arrays = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, (name, kind))| column_array(table, i, *kind).map_err(|e| std::io::Error::other(format!("{}.{name}: {e}", self.name))))
            .collect::<Result<Vec<ArrayRef>, _>>()?;
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(std::io::Error::other)?;
        self.writer.write(&batch).map_err(std::io::Error::other)
    }

    /// Writes the footer; returns the flushed output.
    pub fn finish(self) -> std::io::Result<W> {
        let mut out = self.writer.into_inner().map_err(std::io::Error::other)?;
        out.flush()?;
        Ok(out)
    }
}

fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Str => DataType::Utf8,
        // int32: what pyarrow and Spark infer for an integer partition key (year=2024), so a
        // column has one type in the flat and the partitioned files. Every count, page and
        // year of the dataset fits.
        Kind::Int => DataType::Int32,
        Kind::Dec { scale } => DataType::Decimal128(PRECISION, scale as i8),
    }
}

fn column_array(table: &OutTable, i: usize, kind: Kind) -> Result<ArrayRef, String> {
    let cells = table.rows.iter().map(|r| r.get(i));
    Ok(match kind {
        Kind::Str => Arc::new(StringArray::from_iter(cells.map(|v| match v {
            Some(Value::Str(s)) => Some(s.as_str()),
            _ => None,
        }))),
        Kind::Int => {
            let values = cells
                .map(|v| match v {
                    Some(Value::Int(Some(i))) => i32::try_from(*i).map(Some).map_err(|_| format!("{i} does not fit a 32-bit integer")),
                    _ => Ok(None),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Arc::new(Int32Array::from(values))
        }
        Kind::Dec { scale } => {
            let values = cells
                .map(|v| match v {
                    Some(Value::Dec(Some(d))) => scaled(*d, scale).map(Some),
                    _ => Ok(None),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Arc::new(Decimal128Array::from(values).with_precision_and_scale(PRECISION, scale as i8).map_err(|e| e.to_string())?)
        }
    })
}

/// The unscaled integer of `d` at `scale`, exactly.
fn scaled(d: rust_decimal::Decimal, scale: u32) -> Result<i128, String> {
    let mut r = d;
    r.rescale(scale);
    if r != d {
        return Err(format!("{d} has more than {scale} decimals"));
    }
    Ok(r.mantissa())
}
