//! Sign-in to Google: OAuth 2.0 for installed apps with a loopback
//! redirect and PKCE (S256), as Google documents it. The device flow does
//! not allow the `youtube.upload` scope and the copy/paste flow is gone,
//! so this is the one way a terminal program may upload.
//!
//! The user brings their own OAuth client (`client_secret.json`). img2yt
//! listens on 127.0.0.1 on a free port, the caller shows the sign-in URL,
//! the browser comes back to the port with `code` and `state`; a request
//! with another `state` is turned away and the wait goes on. The code is
//! exchanged with the PKCE verifier for a refresh token, which the caller
//! keeps; access tokens live in memory only ([`Authorizer`]).
//!
//! Tokens are [`Secret`]s: they go in request bodies and the
//! `Authorization` header, never in a URL or a message.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use tokio::sync::{mpsc, Mutex};
use tokio_util::sync::CancellationToken;

use super::{Endpoints, YoutubeError};
use crate::secret::Secret;

pub const SCOPE: &str = "https://www.googleapis.com/auth/youtube.upload";

/// The user's OAuth client, from the `client_secret.json` Google Cloud
/// Console downloads for a "Desktop app".
#[derive(Debug, Clone)]
pub struct ClientSecrets {
    pub client_id: String,
    pub client_secret: Secret,
}

impl ClientSecrets {
    pub fn load(path: &Path) -> Result<ClientSecrets, YoutubeError> {
        let bad = |why: String| YoutubeError::ClientSecrets {
            path: path.display().to_string(),
            why,
        };
        let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let v: Value = serde_json::from_slice(&bytes)
            .map_err(|_| bad("it is not the JSON file Google Cloud Console downloads".into()))?;
        let Some(c) = v.get("installed") else {
            return Err(bad(if v.get("web").is_some() {
                "it is for a web application; make an OAuth client of type \"Desktop app\" instead"
                    .into()
            } else {
                "it has no \"installed\" client; download the JSON of a \"Desktop app\" OAuth client".into()
            }));
        };
        let field = |name: &str| {
            c[name]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .ok_or_else(|| bad(format!("it has no {name}")))
        };
        Ok(ClientSecrets {
            client_id: field("client_id")?,
            client_secret: Secret::new(field("client_secret")?),
        })
    }
}

/// Random bytes as base64url without padding.
fn random_token(bytes: usize) -> String {
    use ring::rand::SecureRandom;
    let mut buf = vec![0u8; bytes];
    ring::rand::SystemRandom::new()
        .fill(&mut buf)
        .expect("the system random source works");
    URL_SAFE_NO_PAD.encode(buf)
}

/// The PKCE S256 challenge of `verifier` (RFC 7636 §4.2).
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.as_bytes(),
    ))
}

/// A sign-in waiting for the browser to come back.
pub struct Pending {
    url: String,
    redirect_uri: String,
    verifier: Secret,
    codes: mpsc::Receiver<Result<String, String>>,
    stop: CancellationToken,
}

/// How long a sign-in in the browser may take (before `IMG2YT_TIME_SCALE`).
pub const SIGN_IN_MINUTES: u64 = 10;

/// Start a sign-in: listen on a free loopback port and build the URL the
/// user opens.
pub async fn begin(ep: &Endpoints, secrets: &ClientSecrets) -> Result<Pending, YoutubeError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| YoutubeError::SignIn(format!("cannot listen on 127.0.0.1: {e}")))?;
    let port = listener
        .local_addr()
        .map_err(|e| YoutubeError::SignIn(e.to_string()))?
        .port();
    // Exactly the form Google documents for a loopback redirect.
    let redirect_uri = format!("http://127.0.0.1:{port}");
    let verifier = random_token(32);
    let state = random_token(16);
    let mut url = reqwest::Url::parse(&ep.auth_url)
        .map_err(|e| YoutubeError::SignIn(format!("the sign-in address is not a URL: {e}")))?;
    url.query_pairs_mut()
        .append_pair("client_id", &secrets.client_id)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("response_type", "code")
        .append_pair("scope", SCOPE)
        .append_pair("code_challenge", &challenge(&verifier))
        .append_pair("code_challenge_method", "S256")
        .append_pair("state", &state)
        .append_pair("access_type", "offline")
        .append_pair("prompt", "consent");
    let (tx, codes) = mpsc::channel(1);
    let stop = CancellationToken::new();
    let app =
        axum::Router::new().fallback(move |q: axum::extract::Query<HashMap<String, String>>| {
            let tx = tx.clone();
            let state = state.clone();
            async move { redirected(q.0, &state, &tx).await }
        });
    let s = stop.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move { s.cancelled().await })
            .await;
    });
    Ok(Pending {
        url: url.to_string(),
        redirect_uri,
        verifier: Secret::new(verifier),
        codes,
        stop,
    })
}

/// The browser's return to the loopback port.
async fn redirected(
    q: HashMap<String, String>,
    state: &str,
    tx: &mpsc::Sender<Result<String, String>>,
) -> (axum::http::StatusCode, &'static str) {
    use axum::http::StatusCode;
    if q.get("state").map(String::as_str) != Some(state) {
        return (
            StatusCode::BAD_REQUEST,
            "This is not the sign-in img2yt is waiting for. Use the link img2yt printed.",
        );
    }
    if let Some(err) = q.get("error") {
        let _ = tx.send(Err(err.clone())).await;
        return (
            StatusCode::OK,
            "Sign-in was not completed. You can close this tab; img2yt says what happened.",
        );
    }
    match q.get("code") {
        Some(code) => {
            let _ = tx.send(Ok(code.clone())).await;
            (
                StatusCode::OK,
                "Signed in. You can close this tab and go back to img2yt.",
            )
        }
        None => (
            StatusCode::BAD_REQUEST,
            "No sign-in code came with this page.",
        ),
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    error: Option<String>,
}

/// What a finished sign-in gives.
#[derive(Debug)]
pub struct Tokens {
    pub access: Secret,
    /// Seconds the access token lasts, as Google said.
    pub expires_in: Option<u64>,
    pub refresh: Secret,
}

impl Pending {
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Wait for the browser (at most `wait`: a tab closed without signing
    /// in must not leave img2yt waiting for ever), then exchange the code
    /// (with the verifier).
    pub async fn finish(
        mut self,
        http: &reqwest::Client,
        ep: &Endpoints,
        secrets: &ClientSecrets,
        wait: std::time::Duration,
        cancel: &CancellationToken,
    ) -> Result<Tokens, YoutubeError> {
        let got = tokio::select! {
            got = self.codes.recv() => got,
            _ = cancel.cancelled() => {
                self.stop.cancel();
                return Err(YoutubeError::Interrupted);
            }
            _ = tokio::time::sleep(wait) => {
                self.stop.cancel();
                return Err(YoutubeError::SignIn(format!(
                    "no sign-in came back from the browser within {} minutes; run img2yt publish again for a new link",
                    SIGN_IN_MINUTES
                )));
            }
        };
        self.stop.cancel();
        let code = match got {
            Some(Ok(code)) => code,
            Some(Err(e)) if e == "access_denied" => {
                return Err(YoutubeError::SignIn(
                    "the Google account did not allow img2yt to upload".into(),
                ))
            }
            Some(Err(e)) => return Err(YoutubeError::SignIn(format!("Google said {e}"))),
            None => return Err(YoutubeError::SignIn("the sign-in page went away".into())),
        };
        let answer = token_request(
            http,
            ep,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", &self.redirect_uri),
                ("client_id", &secrets.client_id),
                ("client_secret", secrets.client_secret.expose()),
                ("code_verifier", self.verifier.expose()),
            ],
        )
        .await?;
        match answer {
            Ok(TokenAnswer {
                access_token: Some(a),
                refresh_token: Some(r),
                expires_in,
                ..
            }) => Ok(Tokens {
                access: Secret::new(a),
                expires_in,
                refresh: Secret::new(r),
            }),
            Ok(_) => Err(YoutubeError::SignIn(
                "Google did not send a refresh token".into(),
            )),
            Err(e) => Err(YoutubeError::SignIn(format!(
                "Google refused the sign-in code ({e})"
            ))),
        }
    }
}

/// POST a form to the token endpoint: `Ok(answer)` on 200, `Err(error
/// code)` on an OAuth error answer.
async fn token_request(
    http: &reqwest::Client,
    ep: &Endpoints,
    form: &[(&str, &str)],
) -> Result<Result<TokenAnswer, String>, YoutubeError> {
    let resp = http
        .post(&ep.token_url)
        .form(form)
        .send()
        .await
        .map_err(|e| YoutubeError::transport(&ep.token_url, &e))?;
    let status = resp.status().as_u16();
    let body = resp
        .text()
        .await
        .map_err(|e| YoutubeError::transport(&ep.token_url, &e))?;
    let answer: TokenAnswer = match serde_json::from_str(&body) {
        Ok(a) => a,
        Err(_) if status >= 500 => {
            return Err(YoutubeError::Service {
                status,
                detail: "the token endpoint failed".into(),
            })
        }
        // Never keep the body: it may hold a token.
        Err(_) => {
            return Err(YoutubeError::Garbage {
                status,
                raw: String::new(),
            })
        }
    };
    if status == 200 {
        Ok(Ok(answer))
    } else if status >= 500 {
        Err(YoutubeError::Service {
            status,
            detail: "the token endpoint failed".into(),
        })
    } else {
        Ok(Err(answer
            .error
            .unwrap_or_else(|| format!("HTTP {status}"))))
    }
}

/// Access tokens for one signed-in account: fetched with the refresh
/// token when first needed, again a minute before Google said one expires,
/// and again when YouTube refuses one anyway.
pub struct Authorizer {
    http: reqwest::Client,
    endpoints: Endpoints,
    secrets: ClientSecrets,
    refresh_token: Secret,
    access: Mutex<Option<Access>>,
}

/// An access token and when to stop using it.
#[derive(Clone)]
struct Access {
    token: Secret,
    until: Option<std::time::Instant>,
}

impl Access {
    fn new(token: Secret, expires_in: Option<u64>) -> Access {
        let until = expires_in.map(|s| {
            std::time::Instant::now() + std::time::Duration::from_secs(s.saturating_sub(60))
        });
        Access { token, until }
    }

    fn usable(&self) -> bool {
        self.until.is_none_or(|u| std::time::Instant::now() < u)
    }
}

impl Authorizer {
    pub fn new(
        http: reqwest::Client,
        endpoints: Endpoints,
        secrets: ClientSecrets,
        refresh_token: Secret,
        access: Option<(Secret, Option<u64>)>,
    ) -> Authorizer {
        Authorizer {
            http,
            endpoints,
            secrets,
            refresh_token,
            access: Mutex::new(access.map(|(t, e)| Access::new(t, e))),
        }
    }

    /// Give back the OAuth client (to sign in again with it).
    pub fn into_secrets(self) -> ClientSecrets {
        self.secrets
    }

    /// The current access token, fetching one if there is none yet.
    pub async fn access_token(&self) -> Result<Secret, YoutubeError> {
        if let Some(a) = self.access.lock().await.clone().filter(Access::usable) {
            return Ok(a.token);
        }
        self.refresh().await
    }

    /// A new access token from the refresh token. A refused refresh token
    /// (revoked, expired) means signing in again.
    pub async fn refresh(&self) -> Result<Secret, YoutubeError> {
        let answer = token_request(
            &self.http,
            &self.endpoints,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", self.refresh_token.expose()),
                ("client_id", &self.secrets.client_id),
                ("client_secret", self.secrets.client_secret.expose()),
            ],
        )
        .await?;
        match answer {
            Ok(TokenAnswer {
                access_token: Some(a),
                expires_in,
                ..
            }) => {
                let t = Secret::new(a);
                *self.access.lock().await = Some(Access::new(t.clone(), expires_in));
                Ok(t)
            }
            _ => Err(YoutubeError::SignInAgain),
        }
    }
}

/// Revoke `token` at Google (the token goes in the form body, not the URL).
/// An already invalid token counts as revoked.
pub async fn revoke(
    http: &reqwest::Client,
    ep: &Endpoints,
    token: &Secret,
) -> Result<(), YoutubeError> {
    let resp = http
        .post(&ep.revoke_url)
        .form(&[("token", token.expose())])
        .send()
        .await
        .map_err(|e| YoutubeError::transport(&ep.revoke_url, &e))?;
    match resp.status().as_u16() {
        200 | 400 => Ok(()),
        s => Err(YoutubeError::Service {
            status: s,
            detail: "the revoke endpoint failed".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_challenge_is_rfc7636s_example() {
        // RFC 7636, Appendix B.
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let v = random_token(32);
        assert_eq!(v.len(), 43);
        assert_ne!(v, random_token(32));
    }

    #[test]
    fn an_access_token_is_replaced_a_minute_before_it_expires() {
        let t = || Secret::new("ya29.x");
        assert!(Access::new(t(), Some(3599)).usable());
        assert!(!Access::new(t(), Some(60)).usable());
        assert!(Access::new(t(), None).usable());
    }

    #[test]
    fn client_secrets_must_be_a_desktop_client() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.json");
        std::fs::write(
            &p,
            r#"{"installed":{"client_id":"id","client_secret":"s"}}"#,
        )
        .unwrap();
        let c = ClientSecrets::load(&p).unwrap();
        assert_eq!(c.client_id, "id");
        std::fs::write(&p, r#"{"web":{"client_id":"id","client_secret":"s"}}"#).unwrap();
        assert!(ClientSecrets::load(&p)
            .unwrap_err()
            .to_string()
            .contains("Desktop app"));
    }
}
