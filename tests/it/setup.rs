//! README's test command works on a fresh machine: it is `scripts/test`, which installs what
//! the suite needs (Chromium, chromedriver, a CJK font, PostgreSQL) before `cargo test`.

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The commands of README's "The two commands" block.
fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = readme
        .split("## The two commands")
        .nth(1)
        .expect("README has a section `The two commands`");
    let block = section
        .split("```sh")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the section has a sh block");
    block
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn readme_test_command_is_scripts_test_and_it_installs_what_tests_need() {
    let commands = readme_commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert_eq!(commands[1], "scripts/test");

    let script = repo().join("scripts/test");
    let text = std::fs::read_to_string(&script).expect("scripts/test exists");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&script).unwrap().permissions().mode();
        assert!(
            mode & 0o111 != 0,
            "scripts/test is not executable: {mode:o}"
        );
    }
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    for package in [
        "chromium",
        "chromium-driver",
        "fonts-wqy-zenhei",
        "postgresql",
    ] {
        assert!(
            text.contains(&format!("missing+=({package}"))
                || text.contains(&format!(" {package})")),
            "scripts/test does not install `{package}` when missing"
        );
    }
    assert!(text.contains("DEBIAN_FRONTEND=noninteractive"));
    assert!(text.contains("/usr/lib/postgresql/*/bin/initdb"));
    assert!(
        text.trim_end()
            .ends_with(r#"exec cargo test --locked "$@""#),
        "scripts/test ends by running the suite"
    );

    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == "scripts/test"),
        ".ci/run runs README's test command"
    );
}
