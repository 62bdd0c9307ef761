//! Paths as terminals and shells write them, against a real folder tree.

use super::*;
use std::cmp::Ordering;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

/// A real folder tree in the temp dir, removed on drop.
///
/// ```text
/// {R}/My Photos/{x.jpg,y.png}      {R}/Trip (1)/IMG_000{1,2}.JPG
/// {R}/a b.jpg  c.png  it's.jpg  weird & odd!.jpg  100% real.jpg
/// {R}/café.jpg  notes.txt          {R}/video/v.mp4
/// {R}/photos/{img1.jpg,img2.jpg,img10.jpg,Img3.png,clip.MOV,
///             .hidden.jpg,notes.txt,sub/deep.jpg}
/// {R}/empty/readme.txt             {R}/Photos [2024]/z.jpg
/// {R}/home/pic.jpg                 {R}/home/trip/{p1.jpg,p2.jpg,p10.jpg,P3.JPG,clip.mov}
/// ```
struct Fixture {
    root: PathBuf,
    home: PathBuf,
}

impl Fixture {
    fn new(name: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "img2yt-paths-{}-{}-{}",
            std::process::id(),
            name,
            N.fetch_add(1, AtomicOrdering::Relaxed)
        ));
        // The tables paste {R} unquoted and unescaped, like a terminal
        // would for a plain path.
        assert!(
            root.to_str().is_some_and(|r| r
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_-.".contains(c))),
            "temp dir {} needs quoting; set TMPDIR to a plain path",
            root.display()
        );
        let _ = fs::remove_dir_all(&root);
        for f in [
            "My Photos/x.jpg",
            "My Photos/y.png",
            "Trip (1)/IMG_0001.JPG",
            "Trip (1)/IMG_0002.JPG",
            "a b.jpg",
            "c.png",
            "it's.jpg",
            "weird & odd!.jpg",
            "100% real.jpg",
            "café.jpg",
            "notes.txt",
            "video/v.mp4",
            "photos/img1.jpg",
            "photos/img2.jpg",
            "photos/img10.jpg",
            "photos/Img3.png",
            "photos/clip.MOV",
            "photos/.hidden.jpg",
            "photos/notes.txt",
            "photos/sub/deep.jpg",
            "empty/readme.txt",
            "Photos [2024]/z.jpg",
            "home/pic.jpg",
            "home/trip/p1.jpg",
            "home/trip/p2.jpg",
            "home/trip/p10.jpg",
            "home/trip/P3.JPG",
            "home/trip/clip.mov",
        ] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, b"x").unwrap();
        }
        let home = root.join("home");
        Fixture { root, home }
    }

    fn env(&self) -> Env<'_> {
        Env {
            cwd: &self.root,
            home: Some(&self.home),
        }
    }

    fn fill(&self, template: &str) -> String {
        template.replace("{R}", self.root.to_str().unwrap())
    }

    fn paths(&self, rel: &[&str]) -> Vec<PathBuf> {
        rel.iter().map(|r| self.root.join(r)).collect()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

const PHOTOS: &[&str] = &[
    "photos/clip.MOV",
    "photos/img1.jpg",
    "photos/img2.jpg",
    "photos/Img3.png",
    "photos/img10.jpg",
];
const TRIP_JPG: &[&str] = &[
    "home/trip/p1.jpg",
    "home/trip/p2.jpg",
    "home/trip/P3.JPG",
    "home/trip/p10.jpg",
];

/// (where it comes from, what is pasted, files, urls, empty, rest)
type Row = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
);

fn check_rows(fx: &Fixture, env: &Env, rows: &[Row]) {
    for (source, input, files, urls, empty, rest) in rows {
        let line = fx.fill(input);
        let got = extract(&line, env);
        let labels: Vec<String> = got.empty.iter().map(|(l, _)| l.clone()).collect();
        let got = (got.files, got.urls, labels, got.rest);
        let want = (
            fx.paths(files),
            urls.iter().map(|u| u.to_string()).collect::<Vec<_>>(),
            empty.iter().map(|e| fx.fill(e)).collect::<Vec<_>>(),
            fx.fill(rest),
        );
        assert_eq!(got, want, "{source}: {line:?}");
    }
}

#[test]
fn terminal_drops() {
    let fx = Fixture::new("drops");
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // GNOME Terminal (VTE) quotes every path with g_shell_quote and
        // adds a space after each.
        ("GNOME Terminal", "'{R}/My Photos/x.jpg' ", &["My Photos/x.jpg"], &[], &[], ""),
        ("GNOME Terminal, plain name", "'{R}/c.png' ", &["c.png"], &[], &[], ""),
        ("GNOME Terminal, three files",
         "'{R}/My Photos/x.jpg' '{R}/c.png' '{R}/Trip (1)/IMG_0001.JPG' ",
         &["My Photos/x.jpg", "c.png", "Trip (1)/IMG_0001.JPG"], &[], &[], ""),
        ("GNOME Terminal, apostrophe", r"'{R}/it'\''s.jpg' ", &["it's.jpg"], &[], &[], ""),
        ("GNOME Terminal, folder", "'{R}/photos' ", PHOTOS, &[], &[], ""),
        // Konsole: quoted paths, or file:// URIs (one per line or
        // space-separated) depending on the source application.
        ("Konsole, URI", "file://{R}/My%20Photos/x.jpg", &["My Photos/x.jpg"], &[], &[], ""),
        ("Konsole, URIs per line", "file://{R}/a%20b.jpg\nfile://{R}/c.png\n",
         &["a b.jpg", "c.png"], &[], &[], ""),
        ("Konsole, URIs per space", "file://{R}/100%25%20real.jpg file://{R}/caf%C3%A9.jpg ",
         &["100% real.jpg", "café.jpg"], &[], &[], ""),
        ("Konsole, localhost URI", "file://localhost{R}/Trip%20(1)/IMG_0002.JPG",
         &["Trip (1)/IMG_0002.JPG"], &[], &[], ""),
        ("Konsole, quoted", "'{R}/a b.jpg' {R}/c.png", &["a b.jpg", "c.png"], &[], &[], ""),
        // macOS Terminal and iTerm2 escape with backslashes.
        ("macOS Terminal", r"{R}/Trip\ \(1\)/IMG_0001.JPG ", &["Trip (1)/IMG_0001.JPG"], &[], &[], ""),
        ("macOS Terminal, several", r"{R}/a\ b.jpg {R}/c.png {R}/Trip\ \(1\)/IMG_0002.JPG ",
         &["a b.jpg", "c.png", "Trip (1)/IMG_0002.JPG"], &[], &[], ""),
        ("iTerm2, shell specials", r"{R}/weird\ \&\ odd\!.jpg {R}/it\'s.jpg ",
         &["weird & odd!.jpg", "it's.jpg"], &[], &[], ""),
        ("iTerm2, folder", r"{R}/My\ Photos ", &["My Photos/x.jpg", "My Photos/y.png"], &[], &[], ""),
        // Windows Terminal quotes paths with spaces in double quotes;
        // on this OS they do not exist and must stay text, unmangled.
        ("Windows Terminal", r#""C:\Users\a\My Pictures\x.jpg""#, &[], &[], &[],
         r#""C:\Users\a\My Pictures\x.jpg""#),
        ("Windows Terminal, no spaces", r"C:\Users\a\Pictures\x.jpg ", &[], &[], &[],
         r"C:\Users\a\Pictures\x.jpg"),
        ("Windows Terminal, WSL profile", "\"{R}/My Photos/x.jpg\" ", &["My Photos/x.jpg"], &[], &[], ""),
        // VS Code's terminal: quoted when needed, single or double.
        ("VS Code, single quotes", "'{R}/a b.jpg' ", &["a b.jpg"], &[], &[], ""),
        ("VS Code, double quotes", "\"{R}/a b.jpg\" \"{R}/c.png\"", &["a b.jpg", "c.png"], &[], &[], ""),
        ("VS Code, plain", "{R}/c.png ", &["c.png"], &[], &[], ""),
        // Pasted with raw spaces (file manager "copy path", some terminals).
        ("raw spaces", "{R}/My Photos/x.jpg please", &["My Photos/x.jpg"], &[], &[], "please"),
        ("raw spaces and comma", "{R}/My Photos/x.jpg, {R}/c.png",
         &["My Photos/x.jpg", "c.png"], &[], &[], ""),
        ("raw spaces in a URI", "file://{R}/My Photos/x.jpg", &["My Photos/x.jpg"], &[], &[], ""),
    ];
    check_rows(&fx, &fx.env(), rows);
}

#[test]
fn paths_mixed_with_prose() {
    let fx = Fixture::new("prose");
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("instruction around paths", "make these into a video '{R}/a b.jpg' {R}/c.png please",
         &["a b.jpg", "c.png"], &[], &[], "make these into a video please"),
        ("apostrophes before a path", "don't use the 2nd photo '{R}/a b.jpg'",
         &["a b.jpg"], &[], &[], "don't use the 2nd photo"),
        ("apostrophes only", "don't use the 2nd photo, it's   blurry  ",
         &[], &[], &[], "don't use the 2nd photo, it's blurry"),
        ("quotes in prose", r#"title it "Summer '24" and don't fade"#,
         &[], &[], &[], r#"title it "Summer '24" and don't fade"#),
        ("trailing punctuation", r"use {R}/c.png, then {R}/a\ b.jpg.",
         &["c.png", "a b.jpg"], &[], &[], "use then"),
        ("brackets", "(see {R}/c.png) and \"{R}/a b.jpg\"!",
         &["c.png", "a b.jpg"], &[], &[], "(see and"),
        ("quoted folder then comma", "'{R}/Trip (1)', fast cuts",
         &["Trip (1)/IMG_0001.JPG", "Trip (1)/IMG_0002.JPG"], &[], &[], "fast cuts"),
        ("missing paths stay text", "over /nonexistent/x.jpg and ~/nope.png and '/gone/a b.jpg'",
         &[], &[], &[], "over /nonexistent/x.jpg and ~/nope.png and '/gone/a b.jpg'"),
        ("folders", "{R}/photos/ and also {R}/empty",
         PHOTOS, &[], &["{R}/empty"], "and also"),
        ("relative folder", "./photos", PHOTOS, &[], &[], ""),
        ("relative file", "c.png and photos/img1.jpg", &["c.png", "photos/img1.jpg"], &[], &[], "and"),
        ("bare words are not folders", "a video of my photos", &[], &[], &[], "a video of my photos"),
        ("tilde", "~/pic.jpg and ~/trip",
         &["home/pic.jpg", "home/trip/clip.mov", "home/trip/p1.jpg", "home/trip/p2.jpg",
           "home/trip/P3.JPG", "home/trip/p10.jpg"], &[], &[], "and"),
        ("lone tilde, dots, slash", "~ 10 photos . .. ... / //", &[], &[], &[], "~ 10 photos . .. ... / //"),
        ("glob", "~/trip/*.jpg", TRIP_JPG, &[], &[], ""),
        ("glob with braces", "all of ~/trip/*.{jpg,mov}",
         &["home/trip/clip.mov", "home/trip/p1.jpg", "home/trip/p2.jpg", "home/trip/P3.JPG",
           "home/trip/p10.jpg"], &[], &[], "all of"),
        ("relative glob", "./photos/img?.jpg please", &["photos/img1.jpg", "photos/img2.jpg"], &[], &[], "please"),
        ("quoted glob", "'{R}/My Photos/*'", &["My Photos/x.jpg", "My Photos/y.png"], &[], &[], ""),
        ("glob matching nothing", "~/nothing/*.jpg {R}/empty/*.jpg", &[], &[], &[],
         "~/nothing/*.jpg {R}/empty/*.jpg"),
        ("glob matching no supported file", "{R}/empty/* ok", &[], &[], &["{R}/empty/*"], "ok"),
        ("question marks and stars", "is it 5 * 3? what about [this] and *that*?", &[], &[], &[],
         "is it 5 * 3? what about [this] and *that*?"),
        ("urls", "https://example.com/a.jpg, and <http://x.org/b.png>. (https://en.wikipedia.org/wiki/Foo_(bar))",
         &[], &["https://example.com/a.jpg", "http://x.org/b.png", "https://en.wikipedia.org/wiki/Foo_(bar)"],
         &[], "and"),
        ("quoted urls", "'https://example.com/my photo.jpg' \"https://example.com/a.jpg\"",
         &[], &["https://example.com/my%20photo.jpg", "https://example.com/a.jpg"], &[], ""),
        ("not a url", "http:// is a prefix", &[], &[], &[], "http:// is a prefix"),
        ("repeats", "{R}/c.png {R}/c.png ./c.png https://a.b/c https://a.b/c",
         &["c.png"], &["https://a.b/c"], &[], ""),
        ("unsupported file kept for validation", "{R}/notes.txt", &["notes.txt"], &[], &[], ""),
    ];
    check_rows(&fx, &fx.env(), rows);
}

#[test]
fn cwd_with_glob_characters_is_escaped() {
    let fx = Fixture::new("escape");
    let cwd = fx.root.join("Photos [2024]");
    let env = Env {
        cwd: &cwd,
        home: None,
    };
    let got = extract("*.jpg and ~/pic.jpg", &env);
    assert_eq!(got.files, vec![cwd.join("z.jpg")]);
    assert_eq!(got.rest, "and ~/pic.jpg");
}

#[test]
fn explicit_arguments() {
    let fx = Fixture::new("args");
    let env = fx.env();
    let args: Vec<String> = [
        "c.png",
        "photos",
        "{R}/My Photos/x.jpg",
        "nope.jpg",
        "empty",
        "*.xyz",
        "https://example.com/v.mp4",
        "https://",
        "'{R}/a b.jpg' '{R}/it'\\''s.jpg'",
        "file://{R}/caf%C3%A9.jpg",
        "~/trip/p*.jpg",
        "notes.txt",
        "",
    ]
    .iter()
    .map(|a| fx.fill(a))
    .collect();
    let (got, errors) = expand_args(&args, &env);
    let mut files = vec!["c.png"];
    files.extend(PHOTOS);
    files.extend(["My Photos/x.jpg", "a b.jpg", "it's.jpg", "café.jpg"]);
    files.extend(TRIP_JPG);
    files.push("notes.txt");
    assert_eq!(got.files, fx.paths(&files));
    assert_eq!(got.urls, vec!["https://example.com/v.mp4".to_string()]);
    assert_eq!(
        got.empty,
        vec![("empty".to_string(), EMPTY_FOLDER.to_string())]
    );
    assert_eq!(got.rest, "");
    let errors: Vec<(&str, &str)> = errors
        .iter()
        .map(|(a, r)| (a.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        errors,
        vec![
            ("nope.jpg", "no such file or folder"),
            ("*.xyz", "matched no files"),
            ("https://", "not a complete web address"),
            ("", "empty argument"),
        ]
    );
}

#[test]
fn upload_lines_name_every_word() {
    let fx = Fixture::new("line");
    let env = fx.env();
    let owned = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (fx.fill(a), b.to_string())).collect()
    };
    type Pairs = &'static [(&'static str, &'static str)];
    // (line, files, empty folders/globs, words that gave nothing)
    #[rustfmt::skip]
    let rows: &[(&str, &[&str], Pairs, Pairs)] = &[
        // One thing, even with raw spaces: read whole.
        ("My Photos", &["My Photos/x.jpg", "My Photos/y.png"], &[], &[]),
        ("{R}/My Photos/x.jpg", &["My Photos/x.jpg"], &[], &[]),
        ("empty", &[], &[("empty", EMPTY_FOLDER)], &[]),
        // Several words: each one counts, bare names included.
        ("empty c.png", &["c.png"], &[("empty", EMPTY_FOLDER)], &[]),
        ("c.png notes.txt", &["c.png", "notes.txt"], &[], &[]),
        ("c.png nope.jpg please", &["c.png"], &[],
         &[("nope.jpg", "no such file or folder"), ("please", "no such file or folder")]),
        ("'a b.jpg' *.xyz", &["a b.jpg"], &[], &[("*.xyz", "matched no files")]),
    ];
    for (line, files, empty, errors) in rows {
        let (got, errs) = expand_line(&fx.fill(line), &env);
        assert_eq!(got.files, fx.paths(files), "{line}");
        assert_eq!(got.empty, owned(empty), "{line}");
        assert_eq!(errs, owned(errors), "{line}");
    }
}

#[test]
fn explicit_dot_and_tilde() {
    let fx = Fixture::new("dot");
    let photos = fx.root.join("photos");
    let env = Env {
        cwd: &photos,
        home: Some(&fx.home),
    };
    let (got, errors) = expand_args(&[".".into(), "~".into()], &env);
    assert!(errors.is_empty(), "{errors:?}");
    let mut want = fx.paths(PHOTOS);
    want.push(fx.home.join("pic.jpg"));
    assert_eq!(got.files, want);

    let no_home = Env {
        cwd: &photos,
        home: None,
    };
    let (_, errors) = expand_args(&["~/pic.jpg".into()], &no_home);
    assert_eq!(
        errors,
        vec![(
            "~/pic.jpg".to_string(),
            "no such file or folder (your home folder is unknown)".to_string()
        )]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_folder() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::new("unreadable");
    let locked = fx.root.join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::read_dir(&locked).is_ok(); // root ignores permissions
    let (got, errors) = expand_args(&[fx.fill("{R}/locked")], &fx.env());
    let got_line = extract(&fx.fill("{R}/locked/"), &fx.env());
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    if readable {
        assert_eq!(
            got.empty,
            vec![(fx.fill("{R}/locked"), EMPTY_FOLDER.to_string())]
        );
        return;
    }
    assert_eq!(
        errors,
        vec![(
            fx.fill("{R}/locked"),
            "cannot open this folder (permission denied)".to_string()
        )]
    );
    assert_eq!(
        got_line.empty,
        vec![(
            fx.fill("{R}/locked/"),
            "cannot open this folder (permission denied)".to_string()
        )]
    );
}

#[test]
fn natural_order() {
    let mut names = vec![
        "img10.jpg",
        "IMG2.jpg",
        "img1.jpg",
        "img02.jpg",
        "Img2.jpg",
        "img_1.jpg",
        "img.jpg",
        "b.jpg",
        "A.jpg",
        "img12345678901234567890123.jpg",
        "img9.jpg",
        "a.jpg",
    ];
    names.sort_by(|a, b| natural_cmp(a, b));
    assert_eq!(
        names,
        vec![
            "A.jpg",
            "a.jpg",
            "b.jpg",
            "img.jpg",
            "img1.jpg",
            "IMG2.jpg",
            "Img2.jpg",
            "img02.jpg",
            "img9.jpg",
            "img10.jpg",
            "img12345678901234567890123.jpg",
            "img_1.jpg",
        ]
    );
    assert_eq!(natural_cmp("img2", "img10"), Ordering::Less);
    assert_eq!(natural_cmp("IMG10", "img2"), Ordering::Greater);
    assert_eq!(natural_cmp("x", "x"), Ordering::Equal);
    assert_eq!(natural_cmp("Straße", "STRASSE"), Ordering::Greater);
}

#[test]
fn shell_tokens() {
    let tok = |s: &str| shell_token(s, 0).map(|t| (t.value, t.quoted, t.end));
    // (input, Some((value, quoted, end)) or None for an unclosed quote)
    type Case<'a> = (&'a str, Option<(&'a str, bool, usize)>);
    let cases: &[Case] = &[
        ("plain rest", Some(("plain", false, 5))),
        ("'a b' c", Some(("a b", true, 5))),
        (r"a\ b\(1\) c", Some(("a b(1)", true, 9))),
        (r#""C:\Users\a" x"#, Some((r"C:\Users\a", true, 12))),
        (r#""say \"hi\"""#, Some((r#"say "hi""#, true, 12))),
        (r"'it'\''s'", Some(("it's", true, 9))),
        ("don't stop", None),
        (r"trailing\", Some((r"trailing\", true, 9))),
    ];
    for (input, want) in cases {
        let want = want.map(|(v, q, e)| (v.to_string(), q, e));
        assert_eq!(tok(input), want, "{input:?}");
    }
}

#[test]
fn braces() {
    assert_eq!(expand_braces("*.{jpg,png}"), vec!["*.jpg", "*.png"]);
    assert_eq!(
        expand_braces("{a,b}/{c,d{e,f}}"),
        vec!["a/c", "a/de", "a/df", "b/c", "b/de", "b/df"]
    );
    assert_eq!(expand_braces("{x}/{y,z}"), vec!["{x}/y", "{x}/z"]);
    assert_eq!(expand_braces("no braces"), vec!["no braces"]);
    assert!(expand_braces("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}").len() <= 70);
}

#[test]
fn uri_decoding() {
    assert_eq!(percent_decode("a%20b%zz%2"), b"a b%zz%2");
    assert_eq!(
        file_uri_to_path("file:///home/a/My%20Photos/x.jpg"),
        Some(PathBuf::from("/home/a/My Photos/x.jpg"))
    );
    assert_eq!(
        file_uri_to_path("FILE://localhost/tmp/x.jpg"),
        Some(PathBuf::from("/tmp/x.jpg"))
    );
    assert_eq!(
        file_uri_to_path("file:/tmp/x.jpg"),
        Some(PathBuf::from("/tmp/x.jpg"))
    );
    assert_eq!(
        file_uri_to_path("file:///C:/Users/a/x.jpg"),
        Some(PathBuf::from("C:/Users/a/x.jpg"))
    );
    assert_eq!(file_uri_to_path("file://host"), None);
}
