//! One error type for everything wrong with a scenario: which file, which key,
//! which line, what was wrong, what is allowed, and a suggestion for a misspelling.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with a scenario file, phrased for the person who wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The scenario file.
    pub file: PathBuf,
    /// Dotted key path, e.g. `network.mean_degree`, when the problem has one.
    pub key: Option<String>,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub problem: String,
    /// What would have been accepted.
    pub allowed: Option<String>,
    /// The closest valid name, for a misspelt key or value.
    pub suggestion: Option<String>,
}

impl ScenarioError {
    /// A problem with no key or line yet.
    pub fn new(file: &Path, problem: impl Into<String>) -> Self {
        ScenarioError {
            file: file.to_path_buf(),
            key: None,
            line: None,
            problem: problem.into(),
            allowed: None,
            suggestion: None,
        }
    }

    /// The file could not be read at all.
    pub fn io(file: &Path, err: &std::io::Error) -> Self {
        use std::io::ErrorKind;
        let problem = if file.is_dir() || err.kind() == ErrorKind::IsADirectory {
            "this is a folder, not a scenario file".to_string()
        } else {
            match err.kind() {
                ErrorKind::NotFound => "the scenario file does not exist".to_string(),
                ErrorKind::PermissionDenied => {
                    "the scenario file cannot be read (permission denied)".to_string()
                }
                _ => format!("cannot read the scenario file: {err}"),
            }
        };
        ScenarioError::new(file, problem).allowing("the path of a TOML scenario file")
    }

    /// Names the key the problem is about. When the line is not yet known (a problem
    /// found after parsing, such as one in an edge list the scenario names), it is
    /// looked up by reading the scenario file again.
    pub fn at_key(self, key: impl Into<String>) -> Self {
        let key = key.into();
        let line = match self.line {
            Some(line) => Some(line),
            None => std::fs::read_to_string(&self.file)
                .ok()
                .and_then(|text| super::spans::line_of_key(&text, &key)),
        };
        self.with_key(key).at_line(line)
    }

    /// Names the key, leaving the line as it is (the parser knows it from the text).
    pub(super) fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Names the line the problem is on.
    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line.or(self.line);
        self
    }

    /// Says what would have been accepted.
    pub fn allowing(mut self, allowed: impl Into<String>) -> Self {
        self.allowed = Some(allowed.into());
        self
    }

    /// Suggests the closest of `candidates` to `given`, if any is close enough.
    pub fn suggesting<'a>(
        mut self,
        given: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        self.suggestion = closest(given, candidates).map(str::to_owned);
        self
    }
}

/// A value outside what its key allows, found after parsing by a check that knows
/// no file or line ([`MarketingSpec::check`](super::MarketingSpec::check), the sweep);
/// the resolver turns it into a [`ScenarioError`] at the key's line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Dotted key path, list entries by index (`phase.1.end`).
    pub key: String,
    /// What is wrong.
    pub problem: String,
    /// What would have been accepted, in words.
    pub allowed: String,
}

impl Violation {
    /// A violation of `key`.
    pub fn new(
        key: impl Into<String>,
        problem: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        Violation {
            key: key.into(),
            problem: problem.into(),
            allowed: allowed.into(),
        }
    }
}

/// The candidate most similar to `given`, if it is similar enough to be a likely typo
/// (ignoring case, and `-` for `_`).
pub fn closest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let given = given.to_lowercase().replace('-', "_");
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&given, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `text` on one line: line breaks and other control characters become spaces, so
/// the message stays one paragraph whatever a file name or excerpt holds.
fn one_line(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error in scenario {}",
            one_line(&self.file.display().to_string())
        )?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ", key `{}`", one_line(key))?;
        }
        write!(f, ": {}.", one_line(&self.problem).trim_end_matches('.'))?;
        if let Some(allowed) = &self.allowed {
            write!(f, " Allowed: {}.", one_line(allowed).trim_end_matches('.'))?;
        }
        if let Some(s) = &self.suggestion {
            write!(f, " Did you mean `{}`?", one_line(s))?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_paragraph_with_every_part() {
        let e = ScenarioError::new(Path::new("s.toml"), "unknown key `mean_degre`")
            .at_key("network.mean_degre")
            .at_line(Some(7))
            .allowing("kind, mean_degree")
            .suggesting("mean_degre", ["kind", "mean_degree"]);
        let text = e.to_string();
        assert_eq!(
            text,
            "error in scenario s.toml, line 7, key `network.mean_degre`: unknown key `mean_degre`. \
             Allowed: kind, mean_degree. Did you mean `mean_degree`?"
        );
        assert!(!text.contains('\n'));
    }

    #[test]
    fn no_suggestion_for_unrelated_names() {
        assert_eq!(closest("zzz", ["kind", "mean_degree"]), None);
        assert_eq!(
            closest("replicate", ["replicates", "seed"]),
            Some("replicates")
        );
    }
}
