//! Settings from defaults, the file and the environment, and the one-line errors for bad ones.
// Jail closures must return figment's own (large) error type.
#![allow(clippy::result_large_err)]

use super::*;
use figment::Jail;

fn expect_err(result: Result<Settings, ConfigError>) -> String {
    match result {
        Ok(s) => panic!("expected a configuration error, got {s:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn defaults_apply_without_file_or_env() {
    Jail::expect_with(|_jail| {
        let s = Settings::load_from(None).map_err(|e| e.to_string())?;
        assert_eq!(s, Settings::default());
        assert!(!s.demo.seed, "demo seeding must be opt-in");
        Ok(())
    });
}

#[test]
fn file_overrides_defaults_and_env_overrides_file() {
    Jail::expect_with(|jail| {
        jail.create_file(
            "Leptos.toml",
            r#"
            [server]
            address = "127.0.0.1:4000"
            [database]
            url = "sqlite://from-file.db"
            max_connections = 3
            "#,
        )?;
        jail.set_env("CRM_DATABASE__URL", "postgres://db.internal/crm");
        let s = Settings::load_from(Some("Leptos.toml".into())).map_err(|e| e.to_string())?;
        assert_eq!(s.server.address.port(), 4000, "file value");
        assert_eq!(s.database.max_connections, 3, "file value");
        assert_eq!(
            s.database.url, "postgres://db.internal/crm",
            "env beats file"
        );
        assert_eq!(
            s.log,
            Settings::default().log,
            "untouched section keeps defaults"
        );
        Ok(())
    });
}

#[test]
fn cargo_leptos_site_variables_fill_server_section_but_crm_env_wins() {
    Jail::expect_with(|jail| {
        jail.set_env("LEPTOS_SITE_ADDR", "127.0.0.1:3456");
        jail.set_env("LEPTOS_SITE_ROOT", "target/other-site");
        let s = Settings::load_from(None).map_err(|e| e.to_string())?;
        assert_eq!(s.server.address.port(), 3456);
        assert_eq!(s.server.site_root, PathBuf::from("target/other-site"));

        jail.set_env("CRM_SERVER__ADDRESS", "127.0.0.1:5678");
        let s = Settings::load_from(None).map_err(|e| e.to_string())?;
        assert_eq!(s.server.address.port(), 5678);
        Ok(())
    });
}

#[test]
fn bad_value_names_the_key() {
    Jail::expect_with(|jail| {
        jail.set_env("CRM_DATABASE__MAX_CONNECTIONS", "lots");
        let msg = expect_err(Settings::load_from(None));
        assert!(msg.contains("database.max_connections"), "{msg}");
        assert!(!msg.contains('\n'), "one line: {msg}");
        Ok(())
    });
}

#[test]
fn bad_address_names_the_key() {
    Jail::expect_with(|jail| {
        jail.create_file("Leptos.toml", "[server]\naddress = \"not-an-address\"\n")?;
        let msg = expect_err(Settings::load_from(Some("Leptos.toml".into())));
        assert!(msg.contains("server.address"), "{msg}");
        Ok(())
    });
}

#[test]
fn malformed_toml_is_reported_on_one_line_with_the_file() {
    Jail::expect_with(|jail| {
        jail.create_file("Leptos.toml", "[server\naddress = 1\n")?;
        let msg = expect_err(Settings::load_from(Some("Leptos.toml".into())));
        assert!(msg.contains("Leptos.toml"), "{msg}");
        assert!(!msg.contains('\n'), "one line: {msg}");
        Ok(())
    });
}

#[test]
fn unknown_key_is_rejected_rather_than_ignored() {
    Jail::expect_with(|jail| {
        jail.create_file("Leptos.toml", "[database]\nurll = \"sqlite://x.db\"\n")?;
        let msg = expect_err(Settings::load_from(Some("Leptos.toml".into())));
        assert!(msg.contains("urll"), "{msg}");
        Ok(())
    });
}

#[test]
fn explicit_config_file_must_exist() {
    Jail::expect_with(|jail| {
        jail.set_env("CRM_CONFIG", "missing.toml");
        let msg = expect_err(Settings::load());
        assert!(
            msg.contains("CRM_CONFIG") && msg.contains("missing.toml"),
            "{msg}"
        );
        Ok(())
    });
}

#[test]
fn mistyped_variable_with_single_underscore_is_rejected_not_ignored() {
    Jail::expect_with(|jail| {
        jail.set_env("CRM_DATABASE_URL", "postgres://db.internal/crm");
        let msg = expect_err(Settings::load_from(None));
        assert!(msg.contains("database_url"), "{msg}");
        Ok(())
    });
}

#[test]
fn zero_connections_is_rejected() {
    Jail::expect_with(|jail| {
        jail.set_env("CRM_DATABASE__MAX_CONNECTIONS", "0");
        let msg = expect_err(Settings::load_from(None));
        assert!(msg.contains("database.max_connections"), "{msg}");
        Ok(())
    });
}
