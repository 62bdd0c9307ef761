//! The embedded server's in-memory world: accounts, tokens, sessions with
//! their drafts and media, render jobs, injected faults and the request log.

use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;

use super::faults::Fault;
use super::turn::Script;

pub type UserId = String;

#[derive(Debug, Clone)]
pub struct Account {
    pub anonymous: bool,
    pub total: f64,
    pub used: f64,
    pub frozen: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Media {
    pub name: String,
    pub kind: String,
    pub size: u64,
    #[serde(skip)]
    pub path: Option<PathBuf>,
    pub url: Option<String>,
    pub file_id: String,
    /// How far the photo is from a good exposure (measured at upload; the
    /// best one becomes the thumbnail). Lower is better.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub exposure: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub task_id: String,
    pub bind_id: String,
    pub owner: UserId,
    pub language: String,
    pub draft: Value,
    pub media: Vec<Media>,
    pub generated: Vec<Value>,
    /// Earlier drafts, newest last, for the agent's "undo".
    pub history: Vec<Value>,
}

impl Session {
    pub fn state(&self) -> Value {
        json!({
            "state": {
                "draft": self.draft,
                "video_infos": self.media,
                "canvas_config": {"width": 1920, "height": 1080, "ratio": "16:9"},
                "generated_media": self.generated,
            },
            "session_id": self.id,
            "task_id": self.task_id,
            "bind_id": self.bind_id,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Pending,
    Processing,
    Completed,
    Failed,
}

impl Phase {
    pub fn as_str(&self) -> &'static str {
        match self {
            Phase::Pending => "pending",
            Phase::Processing => "processing",
            Phase::Completed => "completed",
            Phase::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RenderJob {
    pub id: String,
    pub session: String,
    pub phase: Phase,
    pub progress: f64,
    pub output: Option<PathBuf>,
    /// A 1280×720 JPEG next to the video, when the renderer made one.
    pub thumbnail: Option<PathBuf>,
    /// What the user should know about this render (a missing font, …).
    pub warnings: Vec<String>,
    pub size: Option<u64>,
    pub duration_s: Option<f64>,
    pub width: u32,
    pub height: u32,
    pub error: Option<String>,
}

/// One logged request, for tests (`GET /__control/log`) and the console.
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    pub method: String,
    /// Path and query exactly as requested.
    pub uri: String,
    pub status: u16,
    pub user: Option<UserId>,
    pub headers: HashMap<String, String>,
}

#[derive(Default)]
pub struct World {
    pub tokens: HashMap<String, UserId>,
    pub accounts: HashMap<UserId, Account>,
    /// client id → the token handed out for it (one per client id).
    pub client_tokens: HashMap<String, String>,
    pub sessions: HashMap<String, Session>,
    pub renders: HashMap<String, RenderJob>,
    pub faults: Vec<Fault>,
    pub log: VecDeque<LogEntry>,
    pub scripts: VecDeque<Script>,
    /// HTTP 402 on render submit (a free plan that cannot export).
    pub export_blocked: bool,
    /// Never charge, and say so in the balance (the offline backend).
    pub unlimited: bool,
    pub next_id: u64,
}

/// The balance reported when credits are unlimited: numbers any client
/// understands, plus `"unlimited": true` for those that know.
pub const UNLIMITED_BALANCE: f64 = 1_000_000.0;

impl World {
    pub fn next(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    /// Add user `user` (ids come from the store's shared counter) with a
    /// fresh token.
    pub fn new_user(&mut self, user: UserId, anonymous: bool) -> (UserId, String) {
        let token = format!("nmv_usr_{}", uuid::Uuid::new_v4().simple());
        self.tokens.insert(token.clone(), user.clone());
        self.accounts.insert(
            user.clone(),
            Account {
                anonymous,
                total: 100.0,
                used: 0.0,
                frozen: 0.0,
            },
        );
        (user, token)
    }

    pub fn credits(&self, user: &str) -> Value {
        if self.unlimited {
            let n = UNLIMITED_BALANCE;
            return json!({"available": n, "frozen": 0, "total": n, "unlimited": true});
        }
        let a = &self.accounts[user];
        json!({"available": a.total - a.used - a.frozen, "frozen": a.frozen, "total": a.total})
    }

    /// Take `cost` credits; false when the balance is too low.
    pub fn charge(&mut self, user: &str, cost: f64) -> bool {
        if self.unlimited {
            return true;
        }
        let a = self.accounts.get_mut(user).expect("known user");
        if a.total - a.used - a.frozen < cost {
            return false;
        }
        a.used += cost;
        true
    }
}
