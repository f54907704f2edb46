//! The documents against the code they describe: README's configuration
//! table and the table of bounds in `docs/operations.md` against
//! `config/default.toml` (`defaults`). README's Troubleshooting table is
//! held against the check failures where they are worded, in
//! `crates/http-adapter/tests/wording`.

mod defaults;

pub const README: &str = include_str!("../../../../README.md");
pub const OPERATIONS: &str = include_str!("../../../../docs/operations.md");

/// The table rows of the `## {title}` section of `document`, each split
/// into its trimmed cells (the first cell is the row's first column).
pub fn table_rows(document: &'static str, title: &str) -> Vec<Vec<&'static str>> {
    let section = document
        .split(&format!("\n## {title}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("the document has a {title} section"));
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("|--"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            cells[1..cells.len().saturating_sub(1)].to_vec()
        })
        .collect()
}
