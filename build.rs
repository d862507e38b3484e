// Migrations are embedded with `embed_migrations!`; without this a new migration
// file would not trigger a rebuild and the binary would silently lack it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
