//! Embeds the catalogue (`patterns/*.toml`) and the bundled incident (`examples/athena-eye/`)
//! into the binary, so a single file works on a fresh VM with nothing else installed.

use std::{env, fs, path::Path};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut code = String::new();
    code += &embed(
        &root,
        "patterns",
        "toml",
        "BUILTIN_PATTERNS",
        "str",
        "include_str",
    );
    code += &embed(
        &root,
        "examples/athena-eye",
        "log",
        "INCIDENT_FILES",
        "[u8]",
        "include_bytes",
    );
    fs::write(Path::new(&out).join("embedded.rs"), code).expect("write embedded.rs");
}

/// `pub const NAME: &[(&str, &TYPE)] = &[("dir/file.ext", MACRO!("/abs/dir/file.ext")), …];`
fn embed(root: &str, dir: &str, ext: &str, name: &str, ty: &str, mac: &str) -> String {
    let abs = Path::new(root).join(dir);
    println!("cargo:rerun-if-changed={}", abs.display());
    let mut files: Vec<_> = fs::read_dir(&abs)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    files.sort();
    let mut code = format!("pub const {name}: &[(&str, &{ty})] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let file_name = path.file_name().unwrap().to_string_lossy();
        code += &format!(
            "    ({:?}, {mac}!({:?})),\n",
            format!("{dir}/{file_name}"),
            path.display().to_string()
        );
    }
    code + "];\n"
}
