//! The NemoVideo HTTP client. It knows nothing about terminals or the store:
//! what the user should see or what must be saved is reported through
//! [`Hooks`].
//!
//! Every request goes through [`Client::execute`], the one place where
//! recovery happens (PROTOCOL.md's error table): 1001 → a new anonymous token
//! and one retry; 1002 → a new session, and one retry where that is safe;
//! 429 → a visible, scaled 30 s wait and one retry; connect errors and
//! 500/502/503/504 → bounded backoff for idempotent requests only. Requests are
//! rebuilt for each attempt from a [`Spec`], so multipart bodies (not
//! `Clone`) can be retried too.

mod endpoints;
pub mod error;

pub use endpoints::*;
pub use error::ApiError;

use futures_util::future::BoxFuture;
use reqwest::{header, Method, StatusCode};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::secret::Secret;
use crate::store::TokenOrigin;
use crate::wire::{codes, Envelope, Reading, SessionCreated};

/// The `X-Skill-Source` every request carries.
pub const SKILL_SOURCE: &str = "youtube-image-to-video";
/// Largest JSON answer read into memory; a hostile server cannot make the
/// client allocate without bound.
pub const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;
/// Retries after a connect error or 500/502/503/504 (idempotent requests
/// only).
const MAX_TRANSIENT_RETRIES: u32 = 3;
/// How long an idle kept-alive connection is reused. Shorter than the idle
/// timeouts servers commonly use (5 s is Node's, 10 s ours), so a request
/// is not sent on a connection the server is closing that very moment.
pub const POOL_IDLE: Duration = Duration::from_secs(4);

/// What the client needs to know, resolved once by `app`.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Base URL without a trailing slash.
    pub api_url: String,
    pub web_url: String,
    pub version: String,
    pub platform: String,
    pub language: String,
    /// Multiplies every built-in wait and timeout (`IMG2YT_TIME_SCALE`).
    pub time_scale: f64,
}

impl ApiConfig {
    pub fn scaled(&self, d: Duration) -> Duration {
        d.mul_f64(self.time_scale)
    }

    /// A scaled network timeout, never below two seconds so a tiny scale
    /// cannot make every request fail.
    fn timeout(&self, d: Duration) -> Duration {
        self.scaled(d).max(Duration::from_secs(2))
    }
}

/// The project the client works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRef {
    pub session_id: String,
    pub task_id: String,
    pub bind_id: Option<String>,
}

/// How the client reports what the user should see or what must be saved.
pub trait Hooks: Send + Sync {
    /// A wait the user should see counting down (429).
    fn wait<'a>(&'a self, message: &'a str, duration: Duration) -> BoxFuture<'a, ()>;
    /// A one-line notice for the user (a retry, a replaced session).
    fn notice(&self, message: &str);
    /// A technical line for `--verbose` (never contains the token).
    fn debug(&self, line: &str);
    /// A new anonymous token was obtained: persist it.
    fn token_obtained(&self, token: &Secret);
    /// A new session was created (first use, `new`, or after 1002): persist it.
    fn session_created(&self, session: &SessionRef, replaced_lost: bool);
    /// The server wanted a new client id (HTTP 400): persist it.
    fn client_id_replaced(&self, client_id: &str);
}

struct Auth {
    token: Option<Secret>,
    origin: TokenOrigin,
    client_id: String,
}

/// One request, as a recipe that can be built again for a retry.
pub(crate) struct Spec<'a> {
    pub method: Method,
    /// Path from the session id ("" when the request is not session-scoped).
    pub path: Box<dyn Fn(&str) -> String + Send + Sync + 'a>,
    pub body: Body<'a>,
    pub auth: bool,
    pub session: bool,
    /// Safe to send again after a transport error or 500/502/503/504.
    pub idempotent: bool,
    /// Safe to send again in a brand-new session after 1002.
    pub retry_in_new_session: bool,
    /// A streaming answer (SSE, download): no overall timeout, the body is
    /// handed back unread on success.
    pub stream: bool,
    /// The whole request's timeout (scaled; not for streams).
    pub timeout: Duration,
    /// Never less than this, whatever the time scale: the server's own work
    /// (decoding an upload) does not get faster when tests shorten waits.
    pub timeout_floor: Duration,
    pub extra_headers: Vec<(header::HeaderName, String)>,
}

pub(crate) enum Body<'a> {
    None,
    Json(Box<dyn Fn(&str) -> Value + Send + Sync + 'a>),
    Multipart(Box<dyn Fn() -> Result<reqwest::multipart::Form, ApiError> + Send + Sync + 'a>),
}

impl<'a> Spec<'a> {
    fn new(method: Method, path: impl Fn(&str) -> String + Send + Sync + 'a) -> Self {
        Spec {
            method,
            path: Box::new(path),
            body: Body::None,
            auth: true,
            session: false,
            idempotent: false,
            retry_in_new_session: false,
            stream: false,
            timeout: Duration::from_secs(60),
            timeout_floor: Duration::ZERO,
            extra_headers: Vec::new(),
        }
    }
}

pub(crate) enum Answer {
    /// The envelope's `data`, and the whole document (some answers carry
    /// fields at the top level, like a render's `status`).
    Json {
        data: Value,
        full: Value,
    },
    Stream(reqwest::Response),
}

pub struct Client {
    http: reqwest::Client,
    cfg: ApiConfig,
    auth: tokio::sync::Mutex<Auth>,
    session: Mutex<Option<SessionRef>>,
    hooks: Arc<dyn Hooks>,
}

impl Client {
    /// `token` is the stored or `NEMO_TOKEN` token, if any; `session` the
    /// current project from the store.
    pub fn new(
        cfg: ApiConfig,
        token: Option<(Secret, TokenOrigin)>,
        client_id: String,
        session: Option<SessionRef>,
        hooks: Arc<dyn Hooks>,
    ) -> Client {
        let http = reqwest::Client::builder()
            .connect_timeout(cfg.timeout(Duration::from_secs(10)))
            .pool_idle_timeout(POOL_IDLE)
            .user_agent(format!("img2yt/{}", cfg.version))
            .build()
            .expect("the HTTP client can always be built with these settings");
        let (token, origin) = match token {
            Some((t, o)) => (Some(t), o),
            None => (None, TokenOrigin::Anonymous),
        };
        Client {
            http,
            cfg,
            auth: tokio::sync::Mutex::new(Auth {
                token,
                origin,
                client_id,
            }),
            session: Mutex::new(session),
            hooks,
        }
    }

    pub fn config(&self) -> &ApiConfig {
        &self.cfg
    }

    pub fn hooks(&self) -> &Arc<dyn Hooks> {
        &self.hooks
    }

    pub fn session(&self) -> Option<SessionRef> {
        self.session.lock().unwrap().clone()
    }

    pub fn set_session(&self, s: Option<SessionRef>) {
        *self.session.lock().unwrap() = s;
    }

    /// The shared reqwest client (reused connections), for downloads from
    /// foreign hosts which get no attribution or auth headers.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.cfg.api_url, path)
    }

    fn host(&self) -> String {
        reqwest::Url::parse(&self.cfg.api_url)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| u.port().map_or(h.to_string(), |p| format!("{h}:{p}")))
            })
            .unwrap_or_else(|| self.cfg.api_url.clone())
    }

    /// The attribution headers every request to the API host carries.
    fn attribution(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        rb.header("X-Skill-Source", SKILL_SOURCE)
            .header("X-Skill-Version", &self.cfg.version)
            .header("X-Skill-Platform", &self.cfg.platform)
    }

    /// A token, getting or renewing an anonymous one when needed.
    async fn token(&self) -> Result<Secret, ApiError> {
        let mut auth = self.auth.lock().await;
        if let Some(t) = &auth.token {
            return Ok(t.clone());
        }
        self.obtain_token(&mut auth).await
    }

    async fn renew_token(&self, stale: &Secret) -> Result<Secret, ApiError> {
        let mut auth = self.auth.lock().await;
        if auth.origin == TokenOrigin::Env {
            return Err(ApiError::TokenRejected {
                user_supplied: true,
            });
        }
        // Another task may have renewed it while we waited for the lock.
        if let Some(t) = &auth.token {
            if t != stale {
                return Ok(t.clone());
            }
        }
        self.obtain_token(&mut auth).await
    }

    /// `POST /api/auth/anonymous-token` with the shared client id. HTTP 400
    /// means the server wants a (new) client id: make one and retry once.
    /// 429 and transient failures are retried as in [`Self::execute`].
    async fn obtain_token(&self, auth: &mut Auth) -> Result<Secret, ApiError> {
        let mut replaced_id = false;
        let mut rate_waited = false;
        let mut transient = 0u32;
        loop {
            let spec = Spec {
                auth: false,
                idempotent: true,
                extra_headers: vec![(
                    header::HeaderName::from_static("x-client-id"),
                    auth.client_id.clone(),
                )],
                ..Spec::new(Method::POST, |_| "/api/auth/anonymous-token".into())
            };
            match self.execute_once(&spec, None, "").await {
                Err(Failure::Status(400, _)) if !replaced_id => {
                    replaced_id = true;
                    auth.client_id = uuid::Uuid::new_v4().to_string();
                    self.hooks.client_id_replaced(&auth.client_id);
                    continue;
                }
                Err(Failure::Status(429, _)) if !rate_waited => {
                    rate_waited = true;
                    self.rate_wait().await;
                    continue;
                }
                Err(f @ (Failure::Transport(_) | Failure::Status(502..=504, _)))
                    if transient < MAX_TRANSIENT_RETRIES =>
                {
                    transient += 1;
                    self.backoff(transient, &f).await;
                    continue;
                }
                // Not `finish_failure`: it takes the auth lock, which this
                // function's caller already holds.
                Err(f) => return Err(self.failure_error(f, &spec, auth.origin)),
                Ok(Answer::Json { data, .. }) => {
                    let tok: crate::wire::AnonymousToken = serde_json::from_value(data.clone())
                        .map_err(|_| ApiError::Garbage {
                            status: 200,
                            raw: "anonymous-token answer without a token".into(),
                        })?;
                    let secret = Secret::new(tok.token);
                    self.hooks
                        .debug(&format!("obtained a starter token {secret}"));
                    self.hooks.token_obtained(&secret);
                    auth.token = Some(secret.clone());
                    auth.origin = TokenOrigin::Anonymous;
                    return Ok(secret);
                }
                Ok(Answer::Stream(_)) => unreachable!("anonymous-token is not a stream"),
            }
        }
    }

    /// The current session, creating one when there is none yet.
    pub async fn ensure_session(&self) -> Result<SessionRef, ApiError> {
        if let Some(s) = self.session() {
            return Ok(s);
        }
        self.new_session(false).await
    }

    /// Create a new session and make it current.
    pub async fn new_session(&self, replaced_lost: bool) -> Result<SessionRef, ApiError> {
        let lang = self.cfg.language.clone();
        let mut spec = Spec::new(Method::POST, |_| {
            "/api/tasks/me/with-session/nemo_agent".into()
        });
        spec.body = Body::Json(Box::new(
            move |_| serde_json::json!({"task_name": "project", "language": lang}),
        ));
        let data = self.json(spec).await?;
        let created: SessionCreated = decode(data)?;
        let s = SessionRef {
            bind_id: Some(created.bind_id()),
            session_id: created.session_id,
            task_id: created.task_id,
        };
        self.set_session(Some(s.clone()));
        self.hooks.session_created(&s, replaced_lost);
        Ok(s)
    }

    pub(crate) async fn json(&self, spec: Spec<'_>) -> Result<Value, ApiError> {
        Ok(self.json_full(spec).await?.0)
    }

    /// `data` and the whole answer.
    pub(crate) async fn json_full(&self, spec: Spec<'_>) -> Result<(Value, Value), ApiError> {
        match self.execute(spec).await? {
            Answer::Json { data, full } => Ok((data, full)),
            Answer::Stream(_) => unreachable!("a JSON spec never yields a stream"),
        }
    }

    pub(crate) async fn stream(&self, spec: Spec<'_>) -> Result<reqwest::Response, ApiError> {
        match self.execute(spec).await? {
            Answer::Stream(r) => Ok(r),
            Answer::Json { .. } => Err(ApiError::Garbage {
                status: 200,
                raw: "a JSON answer where a stream was expected".into(),
            }),
        }
    }

    /// Send `spec`, recovering from what PROTOCOL.md says is recoverable.
    pub(crate) async fn execute(&self, spec: Spec<'_>) -> Result<Answer, ApiError> {
        let mut token_renewed = false;
        let mut session_replaced = false;
        let mut rate_waited = false;
        let mut transient = 0u32;
        loop {
            let token = if spec.auth {
                Some(self.token().await?)
            } else {
                None
            };
            let sid = if spec.session {
                // Boxed: creating a session is itself a request through here.
                Box::pin(self.ensure_session()).await?.session_id
            } else {
                String::new()
            };
            let failure = match self.execute_once(&spec, token.as_ref(), &sid).await {
                Ok(a) => return Ok(a),
                Err(f) => f,
            };
            match failure {
                Failure::Code(codes::TOKEN_INVALID, _) | Failure::Status(401, _)
                    if spec.auth && !token_renewed =>
                {
                    token_renewed = true;
                    self.hooks.debug("token rejected (1001): renewing");
                    self.renew_token(token.as_ref().expect("auth spec has a token"))
                        .await?;
                }
                Failure::Code(codes::SESSION_NOT_FOUND, _) if spec.session && !session_replaced => {
                    session_replaced = true;
                    self.hooks
                        .debug("session not found (1002): creating a new one");
                    self.set_session(None);
                    Box::pin(self.new_session(true)).await?;
                    if !spec.retry_in_new_session {
                        return Err(ApiError::SessionLost);
                    }
                }
                Failure::Status(429, _) if !rate_waited => {
                    rate_waited = true;
                    self.rate_wait().await;
                }
                Failure::Transport(_) | Failure::Status(500 | 502..=504, _)
                    if spec.idempotent && transient < MAX_TRANSIENT_RETRIES =>
                {
                    transient += 1;
                    self.backoff(transient, &failure).await;
                }
                f => return Err(self.finish_failure(f, &spec).await),
            }
        }
    }

    /// HTTP 429: the visible, scaled 30 s wait before the one retry.
    async fn rate_wait(&self) {
        let wait = self.cfg.scaled(Duration::from_secs(30));
        self.hooks
            .wait("The service asked img2yt to slow down; retrying in", wait)
            .await;
    }

    /// The pause before transient retry `attempt` (1-based).
    async fn backoff(&self, attempt: u32, failure: &Failure) {
        let backoff = self.cfg.scaled(Duration::from_millis(500 * (1 << attempt)));
        self.hooks.debug(&format!(
            "transient failure ({}), attempt {attempt} of {MAX_TRANSIENT_RETRIES} in {backoff:?}",
            failure.describe()
        ));
        tokio::time::sleep(backoff).await;
    }

    /// Turn a failure nothing more can be done about into an `ApiError`.
    async fn finish_failure(&self, f: Failure, spec: &Spec<'_>) -> ApiError {
        let origin = self.auth.lock().await.origin;
        self.failure_error(f, spec, origin)
    }

    /// [`Self::finish_failure`] for a caller that already holds the auth
    /// lock and so passes the token's origin itself.
    fn failure_error(&self, f: Failure, spec: &Spec<'_>, origin: TokenOrigin) -> ApiError {
        let user_supplied = origin == TokenOrigin::Env;
        match f {
            Failure::Transport(e) => transport_error(&self.host(), e),
            Failure::Local(e) => e,
            Failure::TooLarge => ApiError::TooLarge {
                limit: MAX_JSON_BYTES,
            },
            Failure::Garbage(status, raw) => ApiError::Garbage { status, raw },
            Failure::Code(code, msg) => match code {
                codes::TOKEN_INVALID => ApiError::TokenRejected { user_supplied },
                codes::SESSION_NOT_FOUND => ApiError::SessionLost,
                codes::OUT_OF_CREDITS => ApiError::OutOfCredits {
                    register_url: self.register_url(origin),
                },
                codes::UNSUPPORTED_TYPE => ApiError::UnsupportedType { detail: msg },
                codes::FILE_TOO_LARGE => ApiError::FileTooLarge { detail: msg },
                _ => ApiError::Refused { code, message: msg },
            },
            Failure::Status(status, body) => match status {
                401 => ApiError::TokenRejected { user_supplied },
                402 => ApiError::ExportBlocked,
                403 => ApiError::Forbidden {
                    detail: if body.is_empty() {
                        "missing permission".into()
                    } else {
                        excerpt(&body)
                    },
                },
                413 => ApiError::FileTooLarge {
                    detail: excerpt(&body),
                },
                415 => ApiError::UnsupportedType {
                    detail: excerpt(&body),
                },
                429 => ApiError::RateLimited,
                _ => ApiError::Service {
                    status,
                    detail: format!("{} {}", spec.method, excerpt(&body)),
                },
            },
        }
    }

    /// The registration link for an anonymous user who ran out of credits;
    /// `None` for a user-supplied (registered) token.
    fn register_url(&self, origin: TokenOrigin) -> Option<String> {
        if origin == TokenOrigin::Env {
            return None;
        }
        let id = self
            .session()
            .map(|s| s.bind_id.unwrap_or(s.task_id))
            .unwrap_or_default();
        let base = self.cfg.web_url.trim_end_matches('/');
        Some(if id.is_empty() {
            base.to_string()
        } else {
            format!("{base}/?bind={id}")
        })
    }

    /// One attempt: build, send, classify.
    async fn execute_once(
        &self,
        spec: &Spec<'_>,
        token: Option<&Secret>,
        sid: &str,
    ) -> Result<Answer, Failure> {
        let path = (spec.path)(sid);
        let mut rb = self.attribution(self.http.request(spec.method.clone(), self.url(&path)));
        if let Some(t) = token {
            rb = rb.bearer_auth(t.expose());
        }
        for (k, v) in &spec.extra_headers {
            rb = rb.header(k, v);
        }
        rb = match &spec.body {
            Body::None => rb,
            Body::Json(f) => rb.json(&f(sid)),
            Body::Multipart(f) => rb.multipart(f().map_err(Failure::Local)?),
        };
        if spec.stream {
            rb = rb.header(
                header::ACCEPT,
                "text/event-stream, application/octet-stream, */*",
            );
        } else {
            rb = rb.timeout(self.cfg.timeout(spec.timeout).max(spec.timeout_floor));
        }
        self.hooks.debug(&format!("→ {} {path}", spec.method));
        let resp = rb.send().await.map_err(Failure::Transport)?;
        let status = resp.status();
        let is_json = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.contains("json"));
        if spec.stream && status.is_success() && !is_json {
            self.hooks.debug(&format!("← {status} (stream)"));
            return Ok(Answer::Stream(resp));
        }
        let body = read_capped(resp, MAX_JSON_BYTES).await?;
        let text = String::from_utf8_lossy(&body);
        let json = serde_json::from_slice::<Value>(&body).ok();
        if status.is_success() {
            // Any shape the document allows: enveloped or not, the payload
            // in `data` or at the top.
            let reading = json.as_ref().and_then(Reading::of);
            self.hooks.debug(&format!(
                "← {status}{}",
                match &reading {
                    Some(Reading::Failed { code, message }) => format!(" code={code} {message}"),
                    _ => String::new(),
                }
            ));
            return match reading {
                Some(Reading::Ok(data)) => Ok(Answer::Json {
                    data,
                    full: json.unwrap_or(Value::Null),
                }),
                Some(Reading::Failed { code, message }) => Err(Failure::Code(code, message)),
                None => Err(Failure::Garbage(status.as_u16(), text.into_owned())),
            };
        }
        let envelope = json.and_then(Envelope::from_value);
        self.hooks.debug(&format!(
            "← {status}{}",
            envelope
                .as_ref()
                .map(|e| format!(" code={} {}", e.code, e.message))
                .unwrap_or_default()
        ));
        match envelope {
            // A code the protocol names says more than the HTTP status;
            // otherwise the status decides (402, 429, 5xx…).
            Some(e) if codes::is_known(e.code) => Err(Failure::Code(e.code, e.message)),
            Some(e) if !e.message.is_empty() => Err(Failure::Status(status.as_u16(), e.message)),
            _ => Err(Failure::Status(status.as_u16(), text.into_owned())),
        }
    }
}

/// Why one attempt failed, before recovery decides what to do.
enum Failure {
    Transport(reqwest::Error),
    /// A non-zero envelope code (with any HTTP status).
    Code(i64, String),
    /// An HTTP error status without an envelope (body kept for --verbose).
    Status(u16, String),
    Garbage(u16, String),
    TooLarge,
    Local(ApiError),
}

impl Failure {
    fn describe(&self) -> String {
        match self {
            Failure::Transport(e) => e.to_string(),
            Failure::Status(s, _) | Failure::Garbage(s, _) => {
                format!("HTTP {s}")
            }
            Failure::Code(c, _) => format!("code {c}"),
            Failure::TooLarge => "oversized answer".into(),
            Failure::Local(e) => e.to_string(),
        }
    }
}

impl From<Failure> for ApiError {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Local(e) => e,
            other => ApiError::Broken {
                detail: other.describe(),
            },
        }
    }
}

fn excerpt(body: &str) -> String {
    let t = body.trim();
    if t.len() > 200 {
        format!("{}…", t.chars().take(200).collect::<String>())
    } else {
        t.to_string()
    }
}

/// Map a reqwest error (which never contains the token: it is only in a
/// header) to a user-facing error.
pub(crate) fn transport_error(host: &str, e: reqwest::Error) -> ApiError {
    let detail = e.to_string();
    if e.is_timeout() {
        ApiError::Timeout { detail }
    } else if e.is_connect() {
        ApiError::Connect {
            host: host.to_string(),
            detail,
        }
    } else {
        ApiError::Broken {
            detail: format!(
                "{detail} ({})",
                std::error::Error::source(&e)
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            ),
        }
    }
}

/// Read a whole body, refusing more than `limit` bytes.
async fn read_capped(mut resp: reqwest::Response, limit: usize) -> Result<Vec<u8>, Failure> {
    if resp.content_length().is_some_and(|n| n as usize > limit) {
        return Err(Failure::TooLarge);
    }
    let mut buf = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(Failure::Transport)? {
        if buf.len() + chunk.len() > limit {
            return Err(Failure::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// Decode an envelope's `data` into a typed answer.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(data: Value) -> Result<T, ApiError> {
    let raw = data.to_string();
    serde_json::from_value(data).map_err(|e| ApiError::Garbage {
        status: StatusCode::OK.as_u16(),
        raw: format!("{e}: {}", excerpt(&raw)),
    })
}
