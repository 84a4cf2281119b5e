//! Runtime configuration: built-in defaults, then `Leptos.toml`, then environment variables.
//!
//! cargo-leptos reads only Cargo.toml's `[package.metadata.leptos]` (the *build* config); this file
//! is what a deployer edits. Every key can be overridden by `CRM_<SECTION>__<KEY>`, e.g.
//! `CRM_DATABASE__URL`. During `cargo leptos watch/serve` the `LEPTOS_SITE_ADDR` and
//! `LEPTOS_SITE_ROOT` variables that cargo-leptos exports fill `server.address` and
//! `server.site_root`, so the dev tool and the server agree on where the site is.

use figment::{
    providers::{Env, Format, Serialized, Toml},
    Figment,
};
use serde::{Deserialize, Serialize};
use std::{net::SocketAddr, path::PathBuf};

/// Names the file that is read when `CRM_CONFIG` is not set.
pub const DEFAULT_CONFIG_FILE: &str = "Leptos.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub log: LogSettings,
    pub session: SessionSettings,
    pub auth: AuthSettings,
    pub api: ApiSettings,
    pub jobs: JobsSettings,
    pub demo: DemoSettings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsSettings {
    /// Background workers in this instance (0: this instance runs no jobs and no schedules,
    /// e.g. a web-only instance beside worker instances on one PostgreSQL).
    pub workers: usize,
    /// Seconds a worker's claim on a job holds without a heartbeat; a job whose worker died is
    /// taken over after this.
    pub lease_seconds: u64,
    /// Seconds between the fallback polls, for a wake-up that got lost.
    pub poll_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSettings {
    /// REST requests one API token may make per minute (a burst of this many, then evenly
    /// spread); over it the API answers 429 with `Retry-After`. Counted in the database, so
    /// the limit holds across instances.
    pub requests_per_minute: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address and port to listen on. Port 0 picks a free port (used by tests).
    pub address: SocketAddr,
    /// Folder holding the compiled WASM, JS, CSS and public assets (cargo-leptos's `site-root`).
    pub site_root: PathBuf,
    /// Seconds to let in-flight requests finish after SIGTERM/Ctrl-C.
    pub shutdown_grace_seconds: u64,
    /// True when a reverse proxy you run sits in front: the client address is then the last
    /// entry of `X-Forwarded-For` (the one your proxy added) instead of the proxy's own address.
    pub behind_proxy: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://user:pass@host/db`.
    pub url: String,
    pub max_connections: u32,
    /// Seconds to wait for a connection before giving up (startup and each request).
    pub connect_timeout_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// A tracing `EnvFilter` directive, e.g. `info,crm=debug`. `RUST_LOG` wins when set.
    pub filter: String,
    /// `text` for people, `json` for log collectors.
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSettings {
    pub cookie_name: String,
    /// Send the cookie over HTTPS only. Turn on whenever users reach the app through https
    /// (directly or via a TLS-terminating proxy).
    pub secure_cookie: bool,
    /// A session ends after this many minutes without a request.
    pub idle_timeout_minutes: u64,
    /// A session ends this many hours after sign-in, however active.
    pub absolute_timeout_hours: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Failed sign-ins in a row that lock an account.
    pub max_failed_logins: u32,
    /// How long a locked account stays locked.
    pub lockout_minutes: u64,
    /// Sign-in attempts allowed per client IP per minute (across all accounts).
    pub login_attempts_per_minute: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSettings {
    /// Create the demo tenant and its admin on startup when the database has no tenant yet.
    /// Off by default so production never grows a demo account; the shipped Leptos.toml turns it on.
    pub seed: bool,
    /// With the demo tenant, also create colleagues in two teams and a realistic data set
    /// (companies, contacts, deals, activities, follow-ups).
    pub sample_data: bool,
    pub admin_email: String,
    pub admin_password: String,
    /// Seed even where others can reach the server (a shared staging box). Without it, a server
    /// that listens beyond loopback, sets secure cookies or sits behind a proxy refuses the seed:
    /// its admin password is in this repository.
    pub force: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            server: ServerSettings {
                address: SocketAddr::from(([127, 0, 0, 1], 3000)),
                site_root: PathBuf::from("target/site"),
                shutdown_grace_seconds: 10,
                behind_proxy: false,
            },
            database: DatabaseSettings {
                url: "sqlite://data/crm.db".into(),
                max_connections: 10,
                connect_timeout_seconds: 5,
            },
            log: LogSettings {
                filter: "info,crm=debug,tower_http=info".into(),
                format: LogFormat::Text,
            },
            session: SessionSettings {
                cookie_name: "crm_session".into(),
                secure_cookie: false,
                idle_timeout_minutes: 8 * 60,
                absolute_timeout_hours: 7 * 24,
            },
            auth: AuthSettings {
                max_failed_logins: 5,
                lockout_minutes: 15,
                login_attempts_per_minute: 20,
            },
            api: ApiSettings {
                requests_per_minute: 600,
            },
            jobs: JobsSettings {
                workers: 2,
                lease_seconds: 30,
                poll_seconds: 5,
            },
            demo: DemoSettings {
                seed: false,
                sample_data: false,
                admin_email: "admin@demo.example".into(),
                admin_password: "demo-password-1".into(),
                force: false,
            },
        }
    }
}

/// A configuration problem, rendered as one line that names the key or file at fault.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigError(String);

impl ConfigError {
    pub fn new(message: impl Into<String>) -> Self {
        // Parse errors from TOML span several lines; a log line and an exit message want one.
        let one_line = message
            .into()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Self(one_line)
    }
}

impl ConfigError {
    /// `database.max_connections: invalid type: … in Leptos.toml`: key first, lower-cased the way
    /// it is written in the file, then what is wrong, then where the value came from.
    fn from_figment(errors: figment::Error) -> Self {
        let lines: Vec<String> = errors
            .into_iter()
            .map(|e| {
                let key = e.path.join(".").to_lowercase();
                let origin = match &e.metadata {
                    Some(meta) => match &meta.source {
                        Some(figment::Source::File(path)) => format!(" in {}", path.display()),
                        _ => format!(" in {}", meta.name),
                    },
                    None => String::new(),
                };
                if key.is_empty() {
                    format!("{}{origin}", e.kind)
                } else {
                    format!("{key}: {}{origin}", e.kind)
                }
            })
            .collect();
        Self::new(lines.join("; "))
    }
}

impl Settings {
    /// Loads the settings the running process should use: the file named by `CRM_CONFIG`
    /// (which must exist) or `Leptos.toml` in the working directory (optional), then the env.
    pub fn load() -> Result<Self, ConfigError> {
        match std::env::var_os("CRM_CONFIG") {
            Some(path) => {
                let path = PathBuf::from(path);
                if !path.is_file() {
                    return Err(ConfigError::new(format!(
                        "CRM_CONFIG names {}, which is not a readable file",
                        path.display()
                    )));
                }
                Self::load_from(Some(path))
            }
            None => {
                let default = PathBuf::from(DEFAULT_CONFIG_FILE);
                Self::load_from(default.is_file().then_some(default))
            }
        }
    }

    /// Layers defaults, the given file (if any) and the environment.
    pub fn load_from(file: Option<PathBuf>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        let settings: Settings = figment
            .merge(
                Env::raw()
                    .only(&["LEPTOS_SITE_ADDR", "LEPTOS_SITE_ROOT"])
                    .map(|key| {
                        // `UncasedStr` compares without regard to case.
                        if key == "LEPTOS_SITE_ADDR" {
                            "server.address".into()
                        } else {
                            "server.site_root".into()
                        }
                    }),
            )
            .merge(Env::prefixed("CRM_").ignore(&["CONFIG"]).split("__"))
            .extract()
            .map_err(ConfigError::from_figment)?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.database.url.trim().is_empty() {
            return Err(ConfigError::new("database.url is empty"));
        }
        if self.database.max_connections == 0 {
            return Err(ConfigError::new(
                "database.max_connections must be at least 1",
            ));
        }
        if self.session.idle_timeout_minutes == 0 || self.session.absolute_timeout_hours == 0 {
            return Err(ConfigError::new(
                "session.idle_timeout_minutes and session.absolute_timeout_hours must be at least 1",
            ));
        }
        if self.auth.max_failed_logins == 0 {
            return Err(ConfigError::new(
                "auth.max_failed_logins must be at least 1",
            ));
        }
        if self.api.requests_per_minute == 0 {
            return Err(ConfigError::new(
                "api.requests_per_minute must be at least 1",
            ));
        }
        if self.jobs.lease_seconds < 3 || self.jobs.poll_seconds == 0 {
            return Err(ConfigError::new(
                "jobs.lease_seconds must be at least 3 and jobs.poll_seconds at least 1",
            ));
        }
        if self.auth.login_attempts_per_minute == 0 {
            return Err(ConfigError::new(
                "auth.login_attempts_per_minute must be at least 1",
            ));
        }
        if self.demo.seed && !self.demo.force {
            if let Some(why) = self.reachable_by_others() {
                return Err(ConfigError::new(format!(
                    "demo.seed is on, and this server {why}: anyone could sign in as {} with the \
                     password shipped in Leptos.toml. Set CRM_DEMO__SEED=false for a real \
                     deployment (or CRM_DEMO__FORCE=true to keep the demo anyway)",
                    self.demo.admin_email
                )));
            }
        }
        if self.demo.seed && self.demo.admin_password.chars().count() < 10 {
            return Err(ConfigError::new(
                "demo.admin_password must be at least 10 characters",
            ));
        }
        Ok(())
    }
}

impl Settings {
    /// Why people other than the developer at this machine may reach the server, if they can.
    fn reachable_by_others(&self) -> Option<String> {
        if !self.server.address.ip().is_loopback() {
            Some(format!("listens on {}", self.server.address))
        } else if self.session.secure_cookie {
            Some("sets secure cookies (it is served over https)".into())
        } else if self.server.behind_proxy {
            Some("sits behind a proxy".into())
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests;
