//! The dataset's tables as Arrow: one schema per [`OutTable`], and its rows as a
//! [`RecordBatch`] — what the Parquet writer writes and the Python package hands to pyarrow
//! (through the C data interface, without copying). Amounts are DECIMAL(38, scale), rescaled
//! without rounding loss: a value finer than the scale is an error, never rounded silently.
//!
//! ```
//! use gongkai_core::{columnar, dataset};
//!
//! let schema = columnar::schema(&dataset::records(&[]));
//! assert_eq!(schema.field_with_name("amount").unwrap().data_type(), &columnar::arrow_schema::DataType::Decimal128(38, 6));
//! ```

use crate::dataset::{Kind, OutTable, Value};
use arrow_array::{ArrayRef, Decimal128Array, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use std::sync::Arc;

pub use arrow_array;
pub use arrow_schema;

/// Decimal precision of every amount column.
pub const PRECISION: u8 = 38;

/// The Arrow schema of a table (every column nullable: empty integers and amounts are null).
pub fn schema(table: &OutTable) -> SchemaRef {
    Arc::new(Schema::new(table.columns.iter().map(|(name, kind)| Field::new(*name, data_type(*kind), true)).collect::<Vec<Field>>()))
}

/// The rows of `table` as one batch of `schema(table)`; `Err` names the column that does not fit.
pub fn record_batch(table: &OutTable) -> Result<RecordBatch, String> {
    let arrays = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (name, kind))| column_array(table, i, *kind).map_err(|e| format!("{}.{name}: {e}", table.name)))
        .collect::<Result<Vec<ArrayRef>, _>>()?;
    RecordBatch::try_new(schema(table), arrays).map_err(|e| e.to_string())
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
