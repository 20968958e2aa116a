//! No root certificates (see Cargo.toml): a TLS client built on this list trusts only the
//! authorities it is given.

use pki_types::TrustAnchor;

/// Deliberately empty.
pub const TLS_SERVER_ROOTS: &[TrustAnchor<'static>] = &[];
