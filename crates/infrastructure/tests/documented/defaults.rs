//! README's configuration table against `config/default.toml`, the one
//! place the defaults are written: each key of the file has its row, with
//! the file's value as its default, and no row documents a setting the
//! file no longer has. The table of bounds in `docs/operations.md` too has
//! each timeout of the file, with the file's value.

use std::collections::BTreeMap;

use config::{Config, File, FileFormat, Value, ValueKind};
use infrastructure::settings::PLAIN_NAMES;

use crate::{table_rows, OPERATIONS, README};

const DEFAULTS: &str = include_str!("../../../../config/default.toml");

/// The variable that sets `key`: its documented name where it has one
/// (`chatwoot.webhook_url` is `CHATWOOT_WEBHOOK_URL`), else `database_url` is
/// `DATABASE_URL`, `chatwoot.timeout_ms` is `APP_CHATWOOT__TIMEOUT_MS`.
fn variable(key: &str) -> String {
    if let Some((name, _)) = PLAIN_NAMES.iter().find(|(_, k)| *k == key) {
        return (*name).to_owned();
    }
    match key.split_once('.') {
        Some((section, name)) => format!("APP_{section}__{name}").to_uppercase(),
        None => key.to_uppercase(),
    }
}

/// Every value of the file by its variable.
fn file_defaults() -> BTreeMap<String, String> {
    fn flatten(prefix: &str, value: Value, out: &mut BTreeMap<String, String>) {
        match value.kind {
            ValueKind::Table(table) => {
                for (name, value) in table {
                    let key = match prefix {
                        "" => name,
                        _ => format!("{prefix}.{name}"),
                    };
                    flatten(&key, value, out);
                }
            }
            _ => {
                let text = value.into_string().expect("a scalar");
                // An empty value is how the file says "not set".
                if !text.is_empty() {
                    out.insert(variable(prefix), text);
                }
            }
        }
    }
    let table = Config::builder()
        .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
        .build()
        .expect("config/default.toml parses")
        .cache;
    let mut out = BTreeMap::new();
    flatten("", table, &mut out);
    out
}

/// The rows of README's configuration table: variable, then the default
/// column as written.
fn readme_rows() -> BTreeMap<String, String> {
    table_rows(README, "Configuration")
        .into_iter()
        .filter_map(|cells| Some((code(cells.first()?)?.to_owned(), cells.get(1)?.to_string())))
        .collect()
}

/// The first `code span` of a cell: `` `0` (one per core) `` is `0`.
fn code(cell: &str) -> Option<&str> {
    cell.split('`').nth(1)
}

#[test]
fn every_default_in_the_file_is_in_readme_with_the_file_s_value() {
    let rows = readme_rows();
    let defaults = file_defaults();
    assert!(defaults.len() >= 10, "read the file: {defaults:?}");
    for (name, value) in &defaults {
        let row = rows
            .get(name)
            .unwrap_or_else(|| panic!("README's configuration table has no row for {name}"));
        assert_eq!(
            code(row),
            Some(value.as_str()),
            "README's default of {name}"
        );
    }
}

#[test]
fn readme_documents_no_default_the_file_does_not_have() {
    let defaults = file_defaults();
    // Set elsewhere than the file, and documented as such.
    let not_in_the_file = ["ADMIN_TOKEN", "RUST_LOG", "APP_ENV"];
    for (name, default) in readme_rows() {
        if not_in_the_file.contains(&name.as_str()) || default.starts_with("unset") {
            continue;
        }
        assert!(
            defaults.contains_key(&name),
            "README gives {name} the default {default}, but config/default.toml has no such key"
        );
    }
}

/// The rows of the table of bounds in `docs/operations.md`: the setting's
/// variable, then the default column as written, with its unit.
fn bounds_rows() -> BTreeMap<String, String> {
    table_rows(OPERATIONS, "Bounds")
        .into_iter()
        .filter_map(|cells| Some((code(cells.get(1)?)?.to_owned(), cells.get(2)?.to_string())))
        .collect()
}

#[test]
fn every_timeout_of_the_file_is_in_the_table_of_bounds() {
    let bounds = bounds_rows();
    let timeouts: Vec<(String, String)> = file_defaults()
        .into_iter()
        .filter(|(name, _)| name.contains("TIMEOUT"))
        .collect();
    assert!(timeouts.len() >= 7, "read the file: {timeouts:?}");
    for (name, value) in timeouts {
        let default = bounds.get(&name).unwrap_or_else(|| {
            panic!("docs/operations.md's table of bounds has no row for {name}")
        });
        assert_eq!(
            default.split_whitespace().next(),
            Some(value.as_str()),
            "docs/operations.md's bound of {name}"
        );
    }
}
