//! What a video is published with (title, description, tags, privacy,
//! category, made-for-kids) and the checks YouTube documents for it, made
//! before a byte is sent so a bad title costs nothing. Pure: no I/O.
//!
//! The limits are Google's (`videos` resource, `snippet`): a title of 1 to
//! 100 characters, a description of at most 5000 bytes, neither with `<` or
//! `>`, and tags of at most 500 characters counted as YouTube counts them
//! ([`tags_length`]).

use serde_json::{json, Value};

pub const TITLE_MAX_CHARS: usize = 100;
pub const DESCRIPTION_MAX_BYTES: usize = 5000;
pub const TAGS_MAX_CHARS: usize = 500;
/// "People & Blogs", the category YouTube Studio itself proposes.
pub const DEFAULT_CATEGORY: &str = "22";

/// Who may watch the video. Private unless the user asks otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Privacy {
    #[default]
    Private,
    Unlisted,
    Public,
}

impl Privacy {
    pub fn as_str(self) -> &'static str {
        match self {
            Privacy::Private => "private",
            Privacy::Unlisted => "unlisted",
            Privacy::Public => "public",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub privacy: Privacy,
    pub category: String,
    pub made_for_kids: bool,
}

impl Metadata {
    /// The JSON body of `videos.insert` (`part=snippet,status`).
    pub fn to_json(&self) -> Value {
        json!({
            "snippet": {
                "title": self.title,
                "description": self.description,
                "tags": self.tags,
                "categoryId": self.category,
            },
            "status": {
                "privacyStatus": self.privacy.as_str(),
                "selfDeclaredMadeForKids": self.made_for_kids,
            }
        })
    }
}

/// Split `--tags a,b, c d` into tags: trimmed, empty ones dropped.
pub fn parse_tags(s: &str) -> Vec<String> {
    s.split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The tags' length as YouTube counts it against its 500 limit: each tag's
/// characters, two more for a tag with a space (YouTube keeps it quoted),
/// and one comma between each two tags.
pub fn tags_length(tags: &[String]) -> usize {
    let own: usize = tags
        .iter()
        .map(|t| t.chars().count() + if t.contains(' ') { 2 } else { 0 })
        .sum();
    own + tags.len().saturating_sub(1)
}

/// Every problem with `m`, one plain sentence each (empty: fine to send).
pub fn problems(m: &Metadata) -> Vec<String> {
    let mut out = Vec::new();
    let title_chars = m.title.chars().count();
    if m.title.trim().is_empty() {
        out.push("The title is empty; YouTube needs one (--title).".to_string());
    } else if title_chars > TITLE_MAX_CHARS {
        out.push(format!(
            "The title is {title_chars} characters; YouTube allows at most {TITLE_MAX_CHARS}."
        ));
    }
    if has_angle(&m.title) {
        out.push("The title contains < or >, which YouTube does not allow.".to_string());
    }
    if m.description.len() > DESCRIPTION_MAX_BYTES {
        out.push(format!(
            "The description is {} bytes; YouTube allows at most {DESCRIPTION_MAX_BYTES}.",
            m.description.len()
        ));
    }
    if has_angle(&m.description) {
        out.push("The description contains < or >, which YouTube does not allow.".to_string());
    }
    let tags = tags_length(&m.tags);
    if tags > TAGS_MAX_CHARS {
        out.push(format!(
            "The tags come to {tags} characters as YouTube counts them (commas, and quotes around tags with spaces); the limit is {TAGS_MAX_CHARS}."
        ));
    }
    if m.tags.iter().any(|t| has_angle(t)) {
        out.push("A tag contains < or >, which YouTube does not allow.".to_string());
    }
    if m.category.is_empty() || !m.category.bytes().all(|b| b.is_ascii_digit()) {
        out.push(format!(
            "The category {:?} is not a YouTube category number (22 is People & Blogs).",
            m.category
        ));
    }
    out
}

fn has_angle(s: &str) -> bool {
    s.contains('<') || s.contains('>')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Metadata {
        Metadata {
            title: "Iceland".into(),
            description: String::new(),
            tags: vec![],
            privacy: Privacy::default(),
            category: DEFAULT_CATEGORY.into(),
            made_for_kids: false,
        }
    }

    #[test]
    fn privacy_is_private_unless_asked() {
        assert_eq!(Privacy::default(), Privacy::Private);
        assert_eq!(meta().to_json()["status"]["privacyStatus"], "private");
    }

    #[test]
    fn tags_are_counted_googles_way() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for (tags, len) in [
            (t(&[]), 0),
            (t(&["a"]), 1),
            (t(&["a", "b"]), 3),
            (t(&["road trip"]), 11),
            (t(&["road trip", "iceland"]), 19),
            (t(&["冰岛"]), 2),
        ] {
            assert_eq!(tags_length(&tags), len, "{tags:?}");
        }
        assert_eq!(parse_tags(" a, b c ,,"), t(&["a", "b c"]));
    }

    #[test]
    fn each_limit_has_its_own_sentence() {
        type Change = Box<dyn Fn(&mut Metadata)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|m| m.title = String::new()), "title is empty"),
            (Box::new(|m| m.title = "  ".into()), "title is empty"),
            (Box::new(|m| m.title = "x".repeat(101)), "101 characters"),
            (Box::new(|m| m.title = "a<b".into()), "title contains <"),
            (Box::new(|m| m.title = "a>b".into()), "title contains <"),
            (Box::new(|m| m.description = "é".repeat(2501)), "5002 bytes"),
            (
                Box::new(|m| m.description = "1 > 0".into()),
                "description contains",
            ),
            (
                Box::new(|m| m.tags = vec!["ab".repeat(125); 2]),
                "501 characters",
            ),
            (Box::new(|m| m.tags = vec!["<b>".into()]), "A tag contains"),
            (Box::new(|m| m.category = "music".into()), "category"),
        ];
        for (change, expected) in cases {
            let mut m = meta();
            change(&mut m);
            let p = problems(&m);
            assert_eq!(p.len(), 1, "{m:?}: {p:?}");
            assert!(p[0].contains(expected), "{p:?} lacks {expected:?}");
        }
    }

    #[test]
    fn limits_themselves_are_allowed() {
        let mut m = meta();
        m.title = "冰".repeat(100);
        m.description = "x".repeat(5000);
        // 499 characters + a comma = 500.
        m.tags = vec!["a".repeat(249), "b".repeat(250)];
        assert_eq!(tags_length(&m.tags), 500);
        assert!(problems(&m).is_empty(), "{:?}", problems(&m));
    }
}
