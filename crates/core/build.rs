// refinery embeds the migrations at compile time; without this, a newly added
// migration file would silently not be embedded until something else changed.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
