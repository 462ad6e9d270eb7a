//! Reading the program's source for the catalogue tests: Rust (and templates' expressions)
//! as tokens, enough to find string literals and the arguments of calls.

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p, ext));
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The code of a crate's `src` (path relative to the workspace, text), tests left out: files
/// named `tests.rs` or in a `tests` folder, and the `#[cfg(test)] mod tests { … }` at the end
/// of a file.
pub fn sources(krate: &str) -> Vec<(String, String)> {
    let root = root();
    let src = root.join("crates").join(krate).join("src");
    files(&src, "rs")
        .into_iter()
        .filter(|p| !p.strip_prefix(&src).unwrap().iter().any(|c| c == "tests" || c == "tests.rs"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let code = match text.find("#[cfg(test)]\nmod tests {") {
                Some(at) => text[..at].to_owned(),
                None => text,
            };
            (p.strip_prefix(&root).unwrap().display().to_string(), code)
        })
        .collect()
}

/// The expressions of the server's templates (`{{ … }}` and `{% … %}`).
pub fn template_code() -> Vec<(String, String)> {
    let root = root();
    files(&root.join("crates/server/templates"), "html")
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let mut code = String::new();
            for (open, close) in [("{{", "}}"), ("{%", "%}")] {
                for part in text.split(open).skip(1) {
                    code.push_str(part.split(close).next().unwrap_or(""));
                    code.push('\n');
                }
            }
            (p.strip_prefix(&root).unwrap().display().to_string(), code)
        })
        .collect()
}

/// A token of Rust (or of a template's expressions), enough to find string literals and
/// the arguments of calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Str(String),
    Word(String),
    Punct(char),
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub fn tokens(code: &str) -> Vec<Tok> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            i += 2;
            while i + 1 < c.len() && !(c[i] == '*' && c[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if ch == '"' {
            let mut s = String::new();
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    i += 1;
                }
                if let Some(ch) = c.get(i) {
                    s.push(*ch);
                }
                i += 1;
            }
            out.push(Tok::Str(s));
            i += 1;
        } else if ch == 'r' && matches!(next, Some('"' | '#')) && (i == 0 || !is_ident(c[i - 1])) {
            let hashes = c[i + 1..].iter().take_while(|h| **h == '#').count();
            let start = i + 2 + hashes;
            let mut j = start;
            while j < c.len() && !(c[j] == '"' && (0..hashes).all(|h| c.get(j + 1 + h) == Some(&'#'))) {
                j += 1;
            }
            out.push(Tok::Str(c[start.min(j)..j].iter().collect()));
            i = j + 1 + hashes;
        } else if ch == '\'' {
            // A character literal, or a lifetime.
            i += match (next, c.get(i + 2)) {
                (Some('\\'), _) => 2 + c[i + 2..].iter().position(|x| *x == '\'').map_or(0, |p| p + 1),
                (_, Some('\'')) => 3,
                _ => 1,
            };
        } else if is_ident(ch) {
            let start = i;
            while i < c.len() && is_ident(c[i]) {
                i += 1;
            }
            out.push(Tok::Word(c[start..i].iter().collect()));
        } else {
            if !ch.is_whitespace() {
                out.push(Tok::Punct(ch));
            }
            i += 1;
        }
    }
    out
}

/// The arguments of the call whose `(` is at `open`, split at its own commas.
pub fn call_args(toks: &[Tok], open: usize) -> Vec<&[Tok]> {
    let mut depth = 0;
    let mut start = open + 1;
    let mut args = Vec::new();
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    if start < i {
                        args.push(&toks[start..i]);
                    }
                    break;
                }
            }
            Tok::Punct(',') if depth == 1 => {
                args.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    args
}

pub fn literals(toks: &[Tok]) -> Vec<&str> {
    toks.iter()
        .filter_map(|t| match t {
            Tok::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

pub fn word(t: &Tok, w: &str) -> bool {
    matches!(t, Tok::Word(x) if x == w)
}

/// The positions of the `(` of every call of `ty::f(`.
pub fn calls(toks: &[Tok], ty: &str, f: &str) -> Vec<usize> {
    (0..toks.len().saturating_sub(4))
        .filter(|&i| {
            word(&toks[i], ty)
                && toks[i + 1] == Tok::Punct(':')
                && toks[i + 2] == Tok::Punct(':')
                && word(&toks[i + 3], f)
                && toks[i + 4] == Tok::Punct('(')
        })
        .map(|i| i + 4)
        .collect()
}

/// The literal after `field:` in every `Name { … field: "…" … }`.
pub fn struct_field_literals<'a>(toks: &'a [Tok], name: &str, field: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for i in 0..toks.len().saturating_sub(1) {
        if word(&toks[i], name) && toks[i + 1] == Tok::Punct('{') {
            for arg in call_args(toks, i + 1) {
                if let [Tok::Word(w), Tok::Punct(':'), Tok::Str(s)] = arg
                    && w == field
                {
                    out.push(s.as_str());
                }
            }
        }
    }
    out
}

/// An expression as written, without spaces (`e.code`).
pub fn text_of(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Str(s) => format!("{s:?}"),
            Tok::Word(w) => w.clone(),
            Tok::Punct(c) => c.to_string(),
        })
        .collect()
}

#[test]
fn the_source_reader_finds_literals_calls_and_arguments() {
    let toks = tokens(
        r##"// "not.this"
        let c = '"'; let l: &'a str = r#"raw "x""#;
        errs.push(FieldError::new(&format!("{p}.x"), if e { "required" } else { "invalid_date" }));
        Error::Conflict { code: "taken", field: "name" }"##,
    );
    let strs = literals(&toks);
    assert_eq!(strs, vec![r#"raw "x""#, "{p}.x", "required", "invalid_date", "taken", "name"]);
    let open = calls(&toks, "FieldError", "new")[0];
    assert_eq!(literals(call_args(&toks, open)[1]), vec!["required", "invalid_date"]);
    assert_eq!(struct_field_literals(&toks, "Conflict", "code"), vec!["taken"]);
}
