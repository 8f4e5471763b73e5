//! Records how murmur was built, for every results folder's manifest (docs/OUTPUTS.md,
//! `build`): the git commit it was built from, the compiler and the build profile.
//! Without git or outside a repository the commit is `unknown`; nothing here can fail
//! the build.

use std::path::Path;
use std::process::Command;

/// The trimmed standard output of a command that succeeded.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

fn main() {
    let commit = output("git", &["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=MURMUR_GIT_COMMIT={commit}");
    // Rebuild the stamp when HEAD moves: a checkout, or a commit on its branch.
    for path in [
        output("git", &["rev-parse", "--git-path", "HEAD"]),
        output("git", &["symbolic-ref", "-q", "HEAD"])
            .and_then(|r| output("git", &["rev-parse", "--git-path", &r])),
        output("git", &["rev-parse", "--git-path", "packed-refs"]),
    ]
    .into_iter()
    .flatten()
    {
        if Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = output(&rustc, &["--version"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=MURMUR_RUSTC={version}");
    let profile = std::env::var("PROFILE").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=MURMUR_PROFILE={profile}");
    println!("cargo:rerun-if-changed=build.rs");
}
