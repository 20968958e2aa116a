//! Reading a product import file: the header, then every row checked against the catalogue's
//! field rules, collecting every problem with its line so staff can fix the file in one go.

use std::collections::HashMap;

use serde::Serialize;

use super::create::DEFAULT_LOW_STOCK_THRESHOLD;
use super::export::COLUMNS;
use super::validate;
use crate::error::{ApiError, FieldErrors};
use crate::spreadsheet::unguard;

/// More rows than this: `413`.
pub const MAX_ROWS: usize = 10_000;
const REQUIRED: [&str; 3] = ["sku", "name", "price_cents"];

/// One problem of the file: its line (the header is line 1), the column, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// A valid row. `None` for a column the file leaves out or a cell left empty (for optional
/// numbers): an existing product keeps its value, a new one gets the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub sku: String,
    pub name: String,
    /// `None`: no description column; `Some(None)`: the cell is empty (no description).
    pub description: Option<Option<String>>,
    pub price_cents: i64,
    pub stock: Option<i64>,
    pub low_stock_threshold: Option<i64>,
    pub reorder_quantity: Option<i64>,
}

impl ImportRow {
    pub fn threshold_or_default(&self) -> i64 {
        self.low_stock_threshold
            .unwrap_or(DEFAULT_LOW_STOCK_THRESHOLD)
    }
}

/// The rows of a file, or every problem found in it. More than [`MAX_ROWS`] rows: `413`.
pub fn read(body: &[u8]) -> Result<Result<Vec<ImportRow>, Vec<ImportError>>, ApiError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let mut errors = Vec::new();
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(error) => return Ok(Err(vec![problem(1, "header", error.to_string())])),
    };
    let columns = columns(&header, &mut errors);
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        if index >= MAX_ROWS {
            return Err(ApiError::PayloadTooLarge);
        }
        let line = index as u64 + 2;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(line, |position| position.line());
                errors.push(problem(line, "row", error.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(line, |position| position.line());
        if record.len() != header.len() {
            errors.push(problem(
                line,
                "row",
                format!(
                    "has {} cells; the header has {}",
                    record.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let cell = |name: &str| columns.get(name).map(|&at| unguard(&record[at]));
        if let Some(row) = row(line, &cell, &mut errors) {
            if let Some(first) = seen.insert(row.sku.clone(), line) {
                errors.push(problem(
                    line,
                    "sku",
                    format!("{} is already on line {first}", row.sku),
                ));
            }
            rows.push(row);
        }
    }
    Ok(if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    })
}

/// Where each known column is; unknown, repeated or missing columns are problems of line 1.
fn columns(header: &csv::StringRecord, errors: &mut Vec<ImportError>) -> HashMap<String, usize> {
    let mut at = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        let name = name.trim();
        if !COLUMNS.contains(&name) {
            errors.push(problem(
                1,
                name,
                format!("unknown column; the columns are {}", COLUMNS.join(",")),
            ));
        } else if at.insert(name.to_owned(), index).is_some() {
            errors.push(problem(1, name, "column appears twice".to_owned()));
        }
    }
    for name in REQUIRED {
        if !at.contains_key(name) {
            errors.push(problem(1, name, "required column is missing".to_owned()));
        }
    }
    at
}

fn row<'a>(
    line: u64,
    cell: &dyn Fn(&str) -> Option<&'a str>,
    errors: &mut Vec<ImportError>,
) -> Option<ImportRow> {
    let mut fields = FieldErrors::new();
    let sku = cell("sku").unwrap_or_default().to_owned();
    let name = cell("name").unwrap_or_default().to_owned();
    let description = cell("description").map(|text| (!text.is_empty()).then(|| text.to_owned()));
    validate::sku(&mut fields, &sku);
    validate::name(&mut fields, &name);
    validate::description(&mut fields, description.clone().flatten().as_deref());
    let price_cents = number(cell("price_cents"), "price_cents", &mut fields).unwrap_or(-1);
    if fields
        .as_slice()
        .iter()
        .all(|error| error.field != "price_cents")
    {
        validate::price(&mut fields, price_cents);
    }
    let stock = number(cell("stock"), "stock", &mut fields);
    let low_stock_threshold = number(
        cell("low_stock_threshold"),
        "low_stock_threshold",
        &mut fields,
    );
    let reorder_quantity = number(cell("reorder_quantity"), "reorder_quantity", &mut fields);
    if let Some(stock) = stock {
        validate::stock(&mut fields, stock);
    }
    if let Some(threshold) = low_stock_threshold {
        validate::threshold(&mut fields, threshold);
    }
    if let Some(quantity) = reorder_quantity {
        validate::reorder_quantity(&mut fields, quantity);
    }
    if !fields.is_empty() {
        errors.extend(
            fields
                .as_slice()
                .iter()
                .map(|error| problem(line, &error.field, error.message.clone())),
        );
        return None;
    }
    Some(ImportRow {
        line,
        sku,
        name,
        description,
        price_cents,
        stock,
        low_stock_threshold,
        reorder_quantity,
    })
}

/// An integer cell; empty or absent is `None`, anything else unreadable a problem.
fn number(cell: Option<&str>, field: &str, fields: &mut FieldErrors) -> Option<i64> {
    let text = cell?.trim();
    if text.is_empty() {
        if field == "price_cents" {
            fields.add(field, "is required");
        }
        return None;
    }
    match text.parse() {
        Ok(value) => Some(value),
        Err(_) => {
            fields.add(field, "must be a whole number");
            None
        }
    }
}

pub(super) fn problem(line: u64, field: &str, message: String) -> ImportError {
    ImportError {
        line,
        field: field.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(file: &str) -> Vec<(u64, String)> {
        match read(file.as_bytes()).expect("within limits") {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.line, e.field)).collect(),
        }
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_line() {
        let file = "sku,name,price_cents,stock\nOK-1,Fine,100,\nbad sku,,12x,-1\nOK-1,Again,5,1\n";
        assert_eq!(
            errors_of(file),
            [
                (3, "sku".to_owned()),
                (3, "name".to_owned()),
                (3, "price_cents".to_owned()),
                (3, "stock".to_owned()),
                (4, "sku".to_owned()),
            ]
        );
    }

    #[test]
    fn header_problems_are_line_one() {
        assert_eq!(
            errors_of("sku,colour\n"),
            [
                (1, "colour".to_owned()),
                (1, "name".to_owned()),
                (1, "price_cents".to_owned())
            ]
        );
    }

    #[test]
    fn optional_columns_and_guarded_cells_read_back() {
        let rows = read(b"sku,name,price_cents,description\nA,'=1+1,5,\n")
            .expect("within limits")
            .expect("valid");
        assert_eq!(rows[0].name, "=1+1");
        assert_eq!(rows[0].description, Some(None));
        assert_eq!(rows[0].stock, None);
        assert_eq!(rows[0].threshold_or_default(), 5);
    }
}
