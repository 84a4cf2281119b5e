//! The `crm` binary as an operator meets it: clear one-line errors for bad configuration, a
//! printed URL and demo login, and a clean exit on SIGTERM.

use std::{
    io::{BufRead, BufReader},
    net::TcpListener,
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

/// The binary, run in an empty temp dir (no Leptos.toml) with only the given overrides.
fn crm(dir: &tempfile::TempDir, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_crm"));
    cmd.current_dir(dir.path())
        .env_remove("CRM_CONFIG")
        .env_remove("LEPTOS_SITE_ADDR")
        .env_remove("LEPTOS_SITE_ROOT")
        .env("CRM_SERVER__ADDRESS", "127.0.0.1:0")
        .env("CRM_DATABASE__CONNECT_TIMEOUT_SECONDS", "2")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn run_to_exit(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn crm");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("crm did not exit within 30 s; it should have refused to start");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The one line the operator reads: the `crm: …` line on stderr.
fn error_line(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("crm: ")).collect();
    assert_eq!(
        lines.len(),
        1,
        "exactly one error line expected in:\n{stderr}"
    );
    lines[0].to_string()
}

#[test]
fn unsupported_database_scheme_is_refused_with_the_key_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_to_exit(crm(
        &dir,
        &[("CRM_DATABASE__URL", "mysql://root@localhost/crm")],
    ));
    assert!(!out.status.success());
    let line = error_line(&out);
    assert!(
        line.contains("database.url") && line.contains("mysql"),
        "{line}"
    );
}

#[test]
fn demo_seed_is_refused_where_others_can_reach_the_server_unless_forced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: [&[(&str, &str)]; 3] = [
        &[("CRM_SERVER__ADDRESS", "0.0.0.0:0")],
        &[("CRM_SESSION__SECURE_COOKIE", "true")],
        &[("CRM_SERVER__BEHIND_PROXY", "true")],
    ];
    for overrides in cases {
        let mut env = vec![("CRM_DEMO__SEED", "true")];
        env.extend_from_slice(overrides);
        let out = run_to_exit(crm(&dir, &env));
        assert!(!out.status.success(), "{overrides:?} started");
        let line = error_line(&out);
        assert!(
            line.contains("demo.seed is on") && line.contains("CRM_DEMO__SEED=false"),
            "{overrides:?}: {line}"
        );
    }
    assert!(
        !dir.path().join("data/crm.db").exists(),
        "refused before any database was made"
    );
    // Forced, it starts (a shared staging box); on loopback it never needed forcing.
    let (mut server, _, _) = start(
        &dir,
        &[
            ("CRM_DEMO__SEED", "true"),
            ("CRM_SERVER__BEHIND_PROXY", "true"),
            ("CRM_DEMO__FORCE", "true"),
        ],
    );
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn unreachable_postgres_is_refused_without_leaking_the_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    let url = "postgres://crm:s3cret-pw@127.0.0.1:1/crm";
    let out = run_to_exit(crm(&dir, &[("CRM_DATABASE__URL", url)]));
    assert!(!out.status.success());
    let line = error_line(&out);
    assert!(
        line.contains("database.url") && line.contains("127.0.0.1:1"),
        "{line}"
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("s3cret-pw"), "password leaked: {all}");
}

#[test]
fn unwritable_data_dir_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A regular file where the data folder should be: no folder can be made below it.
    std::fs::write(dir.path().join("data"), "not a folder").expect("write");
    let out = run_to_exit(crm(&dir, &[("CRM_DATABASE__URL", "sqlite://data/crm.db")]));
    assert!(!out.status.success());
    let line = error_line(&out);
    assert!(
        line.contains("database.url") && line.contains("data directory"),
        "{line}"
    );
    let entries: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
    assert_eq!(
        entries.len(),
        1,
        "nothing but the blocking file is left behind"
    );
}

#[test]
fn malformed_config_file_is_refused_with_the_file_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("Leptos.toml"), "[database\nurl = 3\n").expect("write");
    let out = run_to_exit(crm(&dir, &[]));
    assert_eq!(
        out.status.code(),
        Some(2),
        "configuration errors exit with 2"
    );
    let line = error_line(&out);
    assert!(line.contains("Leptos.toml"), "{line}");
    assert!(
        !dir.path().join("data").exists(),
        "no database is created on a config error"
    );
}

#[test]
fn bad_value_in_environment_names_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_to_exit(crm(&dir, &[("CRM_SERVER__ADDRESS", "localhost:http")]));
    assert_eq!(out.status.code(), Some(2));
    let line = error_line(&out);
    assert!(line.contains("server.address"), "{line}");
}

#[test]
fn port_in_use_names_the_port_and_how_to_change_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("addr").to_string();
    let out = run_to_exit(crm(&dir, &[("CRM_SERVER__ADDRESS", &address)]));
    assert!(!out.status.success());
    let line = error_line(&out);
    assert!(
        line.contains(&address) && line.contains("already in use"),
        "{line}"
    );
    assert!(
        line.contains("CRM_SERVER__ADDRESS") && line.contains("Leptos.toml"),
        "{line}"
    );
}

/// Starts the server and reads stdout until it prints its URL.
fn start(dir: &tempfile::TempDir, env: &[(&str, &str)]) -> (Child, String, Vec<String>) {
    let mut child = crm(dir, env)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    let mut url = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read stdout");
        if let Some(rest) = line.strip_prefix("CRM is running at ") {
            url = rest.split_whitespace().next().map(str::to_string);
        }
        let done = line.starts_with("Demo login")
            || (url.is_some() && !env.iter().any(|(k, _)| *k == "CRM_DEMO__SEED"));
        lines.push(line);
        if done {
            break;
        }
    }
    let url = url.unwrap_or_else(|| panic!("no URL printed; stdout was {lines:?}"));
    (child, url, lines)
}

#[test]
fn prints_url_and_demo_login_then_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut child, url, lines) = start(&dir, &[("CRM_DEMO__SEED", "true")]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let demo = lines
        .iter()
        .find(|l| l.starts_with("Demo login"))
        .expect("demo login printed");
    assert!(
        demo.contains("admin@demo.example") && demo.contains("demo-password-1"),
        "{demo}"
    );
    assert!(
        demo.contains("created just now"),
        "first start seeds: {demo}"
    );
    assert!(
        dir.path().join("data/crm.db").is_file(),
        "default SQLite file created under data/"
    );

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let status = rt.block_on(async {
        reqwest::get(format!("{url}/health"))
            .await
            .map(|r| r.status())
    });
    assert_eq!(status.expect("health answers").as_u16(), 200);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no exit within 15 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful shutdown exits 0, got {status}");

    // The second start finds the demo tenant and does not create it again.
    let (mut again, _, lines) = start(&dir, &[("CRM_DEMO__SEED", "true")]);
    let demo = lines
        .iter()
        .find(|l| l.starts_with("Demo login"))
        .expect("demo login printed");
    assert!(!demo.contains("created just now"), "{demo}");
    let _ = again.kill();
    let _ = again.wait();
}

fn run_ok(dir: &tempfile::TempDir, args: &[&str]) -> Output {
    let mut cmd = crm(dir, &[("CRM_DEMO__SEED", "true")]);
    cmd.args(args);
    run_to_exit(cmd)
}

#[test]
fn tenant_commands_suspend_reactivate_and_close_with_audit() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Start once so the demo tenant exists.
    let (mut server, _, _) = start(&dir, &[("CRM_DEMO__SEED", "true")]);
    let _ = server.kill();
    let _ = server.wait();

    let out = run_ok(&dir, &["tenant", "suspend", "demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "tenant demo: active -> suspended"
    );
    // The operator's view of the installation: the counts no web page shows.
    let out = run_ok(&dir, &["status"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("database: SQLite (schema version "),
        "{stdout}"
    );
    assert!(
        stdout.contains("tenants: 0 active, 1 suspended, 0 closed"),
        "{stdout}"
    );
    assert!(stdout.contains("active users: 1"), "{stdout}");

    let out = run_ok(&dir, &["tenant", "suspend", "demo"]);
    assert!(!out.status.success());
    assert!(error_line(&out).contains("is suspended; cannot suspend"));

    let out = run_ok(&dir, &["tenant", "reactivate", "demo"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "tenant demo: suspended -> active"
    );

    let out = run_ok(&dir, &["tenant", "close", "demo"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "tenant demo: active -> closed"
    );
    let out = run_ok(&dir, &["tenant", "reactivate", "demo"]);
    assert!(
        error_line(&out).contains("is closed; cannot reactivate"),
        "closing is final"
    );

    let out = run_ok(&dir, &["tenant", "suspend", "nope"]);
    assert!(error_line(&out).contains("no tenant has the slug 'nope'"));

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let audited: i64 = rt.block_on(async {
        let url = format!("sqlite://{}", dir.path().join("data/crm.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.expect("open");
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'tenant' AND action IN ('tenant.suspended', 'tenant.reactivated', 'tenant.closed')")
            .fetch_one(&pool)
            .await
            .expect("count")
    });
    assert_eq!(audited, 3);
}
