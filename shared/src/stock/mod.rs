//! A product's stock: the ledger that is the only writer of `stock`, staff adjustments and the
//! movement history.

pub mod adjust;
pub mod ledger;
pub mod movements;
