use crate::dataset::{Kind, OutTable, Value};
use arrow_array::{ArrayRef, Decimal128Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use std::sync::Arc;

const PRECISION: u8 = 38;

/// Parquet with exact decimals: amounts are DECIMAL(38, scale), rescaled without rounding
/// loss (values finer than the scale are rejected, never rounded silently).
pub fn write_parquet(table: &OutTable) -> std::io::Result<Vec<u8>> {
    let fields: Vec<Field> = table.columns.iter().map(|(name, kind)| Field::new(*name, data_type(*kind), true)).collect();
    let schema = Arc::new(Schema::new(fields));
    let arrays = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (name, kind))| column_array(table, i, *kind).map_err(|e| std::io::Error::other(format!("{}.{name}: {e}", table.name))))
        .collect::<Result<Vec<ArrayRef>, _>>()?;
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(std::io::Error::other)?;
    let mut buf = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut buf, schema, None).map_err(std::io::Error::other)?;
    writer.write(&batch).map_err(std::io::Error::other)?;
    writer.close().map_err(std::io::Error::other)?;
    Ok(buf)
}

fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Str => DataType::Utf8,
        Kind::Int => DataType::Int64,
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
        Kind::Int => Arc::new(Int64Array::from_iter(cells.map(|v| match v {
            Some(Value::Int(i)) => *i,
            _ => None,
        }))),
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
