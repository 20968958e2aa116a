// `sqlx::migrate!` embeds ../migrations at compile time, but Cargo does not know the crate reads
// that directory: without this, a new migration is missing from an incremental build.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
