// Re-embed migrations and signal rules when they change (include_dir! does not track them).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=config");
}
