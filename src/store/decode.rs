//! Reading the store file field by field, so that one bad value costs that
//! value and not the project around it.
//!
//! A store is edited by hand now and then, or written by another version of
//! img2yt. Decoding it in one piece would turn `"uploads": "oops"` into "the
//! file is unusable", and the project (its session on the server, which
//! cannot be found again) would be lost for a list of file names. Here each
//! field that does not fit takes its default and is named, so the caller can
//! say what was left out. A project whose session id or task id is unusable
//! cannot be kept, so it is the field that is left out then.
//!
//! Unknown fields are kept as they are (`extra`), and a store whose version
//! is newer than this img2yt is not decoded at all: its fields may mean
//! something else now. Reading and writing the file is left to `store`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::{Project, StoreData, VERSION};

/// Why a store file cannot be decoded at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// The file is JSON, but not an object.
    NotAnObject,
    /// Written by a newer img2yt, in this format version.
    Newer(u64),
}

/// The store in `value`, and the fields left out (`project.uploads`,
/// `earlier_projects[2]`), in the order met.
pub fn decode(value: Value) -> Result<(StoreData, Vec<String>), Unusable> {
    let Value::Object(mut obj) = value else {
        return Err(Unusable::NotAnObject);
    };
    if let Some(v) = obj.get("version").and_then(Value::as_u64) {
        if v > u64::from(VERSION) {
            return Err(Unusable::Newer(v));
        }
    }
    let mut bad = Vec::new();
    // Projects first, each on its own, so a bad field inside one is not
    // taken for a bad `project` below.
    if let Some(v) = obj.remove("project") {
        if !v.is_null() {
            if let Some(p) = lenient::<Project>(v, "project", &mut bad) {
                obj.insert("project".into(), to_value(&p));
            }
        }
    }
    if let Some(v) = obj.remove("earlier_projects") {
        match v {
            Value::Array(items) => {
                let kept: Vec<Value> = items
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, p)| {
                        lenient::<Project>(p, &format!("earlier_projects[{i}]"), &mut bad)
                    })
                    .map(|p| to_value(&p))
                    .collect();
                obj.insert("earlier_projects".into(), Value::Array(kept));
            }
            _ => bad.push("earlier_projects".into()),
        }
    }
    let data = lenient::<StoreData>(Value::Object(obj), "", &mut bad).unwrap_or_default();
    Ok((data, bad))
}

fn to_value<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

/// `value` as a `T`, leaving out the fields that do not fit: each takes its
/// default and is named in `bad` under `at`. `None` (and `at` named) when
/// even that does not give a `T`: a required field is missing or bad, or
/// `value` is not an object.
///
/// The fields are `T`'s own, found by serialising `T::default()`, so a
/// field added to `T` later is covered without a list to keep up to date.
fn lenient<T>(value: Value, at: &str, bad: &mut Vec<String>) -> Option<T>
where
    T: Serialize + DeserializeOwned + Default,
{
    if let Ok(t) = serde_json::from_value::<T>(value.clone()) {
        return Some(t);
    }
    let name = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        }
    };
    let (Value::Object(mut obj), Value::Object(defaults)) = (value, to_value(&T::default())) else {
        bad.push(at.to_string());
        return None;
    };
    // A field is bad when it alone, among defaults, makes decoding fail.
    let wrong: Vec<String> = defaults
        .keys()
        .filter(|k| {
            obj.get(*k).is_some_and(|v| {
                let mut probe = defaults.clone();
                probe.insert((*k).clone(), v.clone());
                serde_json::from_value::<T>(Value::Object(probe)).is_err()
            })
        })
        .cloned()
        .collect();
    for k in &wrong {
        obj.remove(k);
    }
    match serde_json::from_value::<T>(Value::Object(obj)) {
        Ok(t) => {
            bad.extend(wrong.iter().map(|k| name(k)));
            Some(t)
        }
        Err(_) => {
            bad.push(at.to_string());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    fn project() -> Value {
        json!({"session_id": "s", "task_id": "t", "title": "Iceland", "created": 7,
               "uploads": [{"name": "a.jpg", "size": 3}], "later": true})
    }

    fn with(mut v: Value, key: &str, value: Value) -> Value {
        v[key] = value;
        v
    }

    /// `got` has everything `want` has (and maybe more: defaults written
    /// out as null).
    fn holds(got: &Value, want: &Value) -> bool {
        match (got, want) {
            (Value::Object(g), Value::Object(w)) => w
                .iter()
                .all(|(k, wv)| holds(g.get(k).unwrap_or(&Value::Null), wv)),
            (Value::Array(g), Value::Array(w)) => {
                g.len() == w.len() && g.iter().zip(w).all(|(g, w)| holds(g, w))
            }
            _ => got == want,
        }
    }

    #[test]
    fn one_bad_field_costs_that_field() {
        // (store, fields left out, what is kept, as JSON)
        let table: Vec<(Value, Vec<&str>, Value)> = vec![
            (
                json!({}),
                vec![],
                json!({"project": null, "earlier_projects": []}),
            ),
            (
                json!({"version": 1, "project": project()}),
                vec![],
                json!({"project": project()}),
            ),
            (
                json!({"project": with(project(), "uploads", json!("oops"))}),
                vec!["project.uploads"],
                json!({"project": with(project(), "uploads", json!([]))}),
            ),
            (
                json!({"project": with(with(project(), "claim_token", json!(5)), "created", json!("x"))}),
                vec!["project.claim_token", "project.created"],
                json!({"project": with(with(project(), "claim_token", Value::Null), "created", json!(0))}),
            ),
            // Without a usable session id the project cannot be kept.
            (
                json!({"project": with(project(), "session_id", json!(5))}),
                vec!["project"],
                json!({"project": null}),
            ),
            (
                json!({"project": 5}),
                vec!["project"],
                json!({"project": null}),
            ),
            (
                json!({"token": "not an object", "project": project()}),
                vec!["token"],
                json!({"token": null, "project": project()}),
            ),
            (
                json!({"earlier_projects": [project(), 5, with(project(), "title", json!([]))]}),
                vec!["earlier_projects[1]", "earlier_projects[2].title"],
                json!({"earlier_projects": [project(), with(project(), "title", Value::Null)]}),
            ),
            (
                json!({"earlier_projects": "x"}),
                vec!["earlier_projects"],
                json!({"earlier_projects": []}),
            ),
            (
                json!({"pending_renders": [{"id": 1}], "version": "one"}),
                vec!["version", "pending_renders"],
                json!({"pending_renders": [], "version": 0}),
            ),
            // Unknown fields are kept, at the top and in a project.
            (
                json!({"future": {"a": 1}, "project": with(project(), "uploads", json!(1))}),
                vec!["project.uploads"],
                json!({"future": {"a": 1}, "project": with(project(), "uploads", json!([]))}),
            ),
        ];
        for (input, want_bad, want) in table {
            let (data, bad) = decode(input.clone()).unwrap();
            assert_eq!(bad, want_bad, "{input}");
            let got = serde_json::to_value(&data).unwrap();
            assert!(holds(&got, &want), "{input}:\n got {got}\nwant {want}");
        }
    }

    #[test]
    fn every_field_of_a_project_is_read_back() {
        // A field added to Project but missed here would land in `extra`.
        let p = Project {
            session_id: "s".into(),
            task_id: "t".into(),
            bind_id: Some("b".into()),
            claim_token: Some("c".into()),
            title: Some("Iceland".into()),
            created: 9,
            uploads: vec![super::super::UploadRecord {
                name: "a.jpg".into(),
                size: Some(1),
                file_id: Some("f".into()),
                source: Some("/a.jpg".into()),
            }],
            extra: Map::new(),
        };
        let mut v = to_value(&p);
        v["uploads"] = json!("oops");
        let (data, bad) = decode(json!({ "project": v })).unwrap();
        assert_eq!(bad, ["project.uploads"]);
        assert_eq!(
            data.project,
            Some(Project {
                uploads: vec![],
                ..p
            })
        );
    }

    #[test]
    fn what_cannot_be_decoded_at_all() {
        assert_eq!(
            decode(json!({"version": 99, "project": project()})).unwrap_err(),
            Unusable::Newer(99)
        );
        assert_eq!(
            decode(json!({"version": 2})).unwrap_err(),
            Unusable::Newer(2)
        );
        assert_eq!(decode(json!([1])).unwrap_err(), Unusable::NotAnObject);
        assert_eq!(decode(json!("x")).unwrap_err(), Unusable::NotAnObject);
    }
}
