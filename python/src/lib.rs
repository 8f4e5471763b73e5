//! The compiled half of murmur's Python package: the `murmur` program's commands run
//! in-process with the GIL released, and a scenario given as a Python dict turned into
//! TOML. Everything users call is in `murmur/__init__.py`.

use pyo3::prelude::*;

/// Runs the `murmur` command `args` (without the program name) with the GIL released,
/// so other Python threads go on while the simulation runs; `echo` lets it print its
/// lines (the summary table, "results in ...") as the program does. Returns `(0, "")`
/// on success, else the exit code and the message the program would print: 2 for
/// input the user must fix, 1 for other failures, 0 for help text.
#[pyfunction]
#[pyo3(signature = (args, echo = false))]
fn main(py: Python<'_>, args: Vec<String>, echo: bool) -> (u8, String) {
    match py.detach(move || murmur::cli::run_args(args, echo)) {
        Ok(()) => (0, String::new()),
        Err((message, code)) => (code, message),
    }
}

/// The TOML text of a scenario given as JSON (a Python dict dumped with `json.dumps`),
/// so a dict runs exactly as the same keys in a file would.
#[pyfunction]
fn toml_from_json(json: &str) -> PyResult<String> {
    let value: toml::Value = serde_json::from_str(json)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("scenario dict: {e}")))?;
    toml::to_string(&value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("scenario dict: {e}")))
}

/// murmur's version, as the program's `--version` prints it.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The extension module `murmur._murmur`.
#[pymodule]
fn _murmur(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(main, m)?)?;
    m.add_function(wrap_pyfunction!(toml_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
