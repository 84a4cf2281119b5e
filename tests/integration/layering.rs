//! Imports point one way: foundation → types → store/service → server functions and REST → views
//! → app → server. Every `crate::…` and `super::…` path in `src/` is resolved to the file it
//! names, and a file may only name files of its own layer or lower ones.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// Errors, configuration, the pool, parsed values: what everything may use.
    Foundation,
    /// An area's `mod.rs` and `input.rs`: the types shared by server and browser, and the typed
    /// inputs the doors parse forms and bodies into.
    Types,
    /// An area's SQL and the service around it (permissions, audit, the transaction), and
    /// `AppState`, which holds the services the doors reach.
    Service,
    /// `#[server]` wrappers and the REST handlers: the doors.
    Doors,
    /// Components.
    Views,
    /// The shell: routes and layout.
    App,
    /// Assembles the running server.
    Server,
}

const FOUNDATION: &[&str] = &[
    "src/lib.rs",
    "src/error.rs",
    "src/config.rs",
    "src/config/",
    "src/text_enum.rs",
    "src/db/",
    "src/validation/",
    "src/search/fold.rs",
];

/// Types that live outside an area's `mod.rs`: the permission and role vocabulary.
const TYPES: &[&str] = &["src/auth/roles.rs"];
/// Browser-side state of a page that has no component of its own (the page's parts share it),
/// and the board's following of live events.
const VIEW_STATE: &[&str] = &["src/calls/console_context.rs", "src/deals/board_live.rs"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `src/…` as written in messages and in `FOUNDATION`.
fn shown(file: &Path) -> String {
    let relative = file
        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or(file);
    relative.to_string_lossy().replace('\\', "/")
}

fn layer_of(file: &Path, code: &str) -> Layer {
    let name = shown(file);
    if FOUNDATION
        .iter()
        .any(|f| name == *f || (f.ends_with('/') && name.starts_with(f)))
    {
        Layer::Foundation
    } else if name.starts_with("src/server/") || name == "src/main.rs" {
        Layer::Server
    } else if name == "src/app.rs" || name.starts_with("src/app/") {
        Layer::App
    } else if code.contains("#[component]")
        || name.starts_with("src/ui/")
        || VIEW_STATE.contains(&name.as_str())
    {
        Layer::Views
    } else if name.starts_with("src/api/")
        || name.ends_with("/server_fns.rs")
        || name.ends_with("/handler.rs")
    {
        Layer::Doors
    } else if name.ends_with("/mod.rs")
        || name.ends_with("/input.rs")
        || TYPES.contains(&name.as_str())
    {
        Layer::Types
    } else {
        Layer::Service
    }
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The folder a file's own `mod` declarations live in (`a/mod.rs` and `a.rs` → `a/`).
fn module_dir(file: &Path) -> PathBuf {
    let parent = file.parent().expect("parent").to_path_buf();
    match file.file_stem().and_then(|s| s.to_str()) {
        Some("mod" | "lib" | "main") => parent,
        Some(stem) => parent.join(stem),
        None => parent,
    }
}

/// The file that holds the item a path names: follows module segments as far as files go.
fn resolve(file: &Path, path: &[&str]) -> PathBuf {
    let (mut dir, mut target, rest) = match path.first() {
        Some(&"crate") => (src(), src().join("lib.rs"), &path[1..]),
        Some(&"super") => {
            let mut dir = module_dir(file);
            let mut rest = path;
            while rest.first() == Some(&"super") {
                dir = dir.parent().expect("super of src").to_path_buf();
                rest = &rest[1..];
            }
            let target = if dir == src() {
                src().join("lib.rs")
            } else {
                dir.join("mod.rs")
            };
            let target = if target.exists() {
                target
            } else {
                dir.with_extension("rs")
            };
            (dir, target, rest)
        }
        _ => return file.to_path_buf(),
    };
    for segment in rest {
        let (as_file, as_dir) = (
            dir.join(format!("{segment}.rs")),
            dir.join(segment).join("mod.rs"),
        );
        if as_file.exists() {
            target = as_file;
        } else if as_dir.exists() {
            target = as_dir;
        } else {
            break;
        }
        dir = dir.join(segment);
    }
    target
}

/// Expands a use tree (`crate::{a::{b, c}, d}`, whitespace removed, ` as ` written `\0`) into
/// its paths.
fn expand(tree: &str, prefix: &str, paths: &mut Vec<String>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = format!("{prefix}{}", &tree[..open]);
        let inner = &tree[open + 1..tree.rfind('}').expect("closing brace")];
        let (mut depth, mut start) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..i], &head, paths);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&inner[start..], &head, paths);
    } else if !tree.is_empty() {
        paths.push(format!(
            "{prefix}{}",
            tree.split('\0').next().unwrap_or(tree)
        ));
    }
}

/// Every `crate::…` and `super::…` path the file names, in `use` items and inline.
fn paths_in(code: &str) -> Vec<String> {
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut paths = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("use ") {
        let after = &rest[at + 4..];
        let boundary = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        if boundary && (after.starts_with("crate::") || after.starts_with("super::")) {
            let end = after.find(';').unwrap_or(after.len());
            // `a as b` keeps its meaning once the whitespace is gone.
            let tree: String = after[..end]
                .replace(" as ", "\0")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            expand(&tree, "", &mut paths);
            rest = &after[end..];
        } else {
            rest = after;
        }
    }
    for start in ["crate::", "super::"] {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(start) {
            let boundary = at == 0
                || !rest[..at]
                    .ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':' || c == '$');
            let path: String = rest[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            if boundary {
                paths.push(path.trim_end_matches(':').to_string());
            }
            rest = &rest[at + start.len()..];
        }
    }
    paths
}

/// Every import that points up, as "file (layer) names target (layer)".
fn upward_imports() -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    // Each file read once: its code and its layer.
    let sources: BTreeMap<PathBuf, (String, Layer)> = files
        .into_iter()
        .map(|file| {
            let code = std::fs::read_to_string(&file).expect("read file");
            let layer = layer_of(&file, &code);
            (file, (code, layer))
        })
        .collect();
    let mut found = BTreeSet::new();
    for (file, (code, own)) in &sources {
        let own = *own;
        for path in paths_in(code) {
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            let target = resolve(file, &segments);
            let Some((_, theirs)) = sources.get(&target).filter(|_| target != *file) else {
                continue;
            };
            let theirs = *theirs;
            if theirs > own {
                found.insert(format!(
                    "{} ({own:?}) names {} ({theirs:?}) via {path}",
                    shown(file),
                    shown(&target)
                ));
            }
        }
    }
    found.into_iter().collect()
}

#[test]
fn imports_point_from_higher_layers_to_lower_ones() {
    let upward = upward_imports();
    assert!(
        upward.is_empty(),
        "{} imports point up a layer:\n{}",
        upward.len(),
        upward.join("\n")
    );
}

#[test]
fn the_layering_check_sees_an_upward_import() {
    let file = src().join("error.rs");
    let code = "use crate::{server::{self, Application}, db::Db};\nfn f() { crate::app::shell(); }";
    assert_eq!(layer_of(&file, code), Layer::Foundation);
    let targets: Vec<String> = paths_in(code)
        .iter()
        .map(|p| shown(&resolve(&file, &p.split("::").collect::<Vec<_>>())))
        .collect();
    assert!(
        targets.contains(&"src/server/mod.rs".to_string()),
        "{targets:?}"
    );
    assert!(targets.contains(&"src/app.rs".to_string()), "{targets:?}");
    assert!(
        targets.contains(&"src/db/mod.rs".to_string()),
        "{targets:?}"
    );
}
