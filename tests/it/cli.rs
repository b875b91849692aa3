//! The binary itself: check-config and classify.

use assert_cmd::Command;

fn windvane() -> Command {
    let mut c = Command::cargo_bin("windvane").unwrap();
    c.current_dir(env!("CARGO_TARGET_TMPDIR"));
    c
}

#[test]
fn check_config_on_shipped_files() {
    for f in ["config/windvane.toml", "config/example.toml"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(f);
        let out = windvane()
            .arg("--config")
            .arg(&path)
            .arg("check-config")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn check_config_names_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[[sources]]\nid = \"a\"\nkind = \"weibo\"\nuid = \"123\"\nschedule = \"every 5m\"\napi_bsae = \"http://x\"\n").unwrap();
    let out = windvane()
        .arg("--config")
        .arg(&path)
        .arg("check-config")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.toml"), "{err}");
    assert!(err.contains("sources[0].api_bsae"), "{err}");
    assert!(err.contains("unknown field"), "{err}");

    std::fs::write(&path, "[[sources]]\nid = \"a\"\nkind = \"weibo\"\nuid = \"12x\"\nschedule = \"every now and then\"\n").unwrap();
    let out = windvane()
        .arg("--config")
        .arg(&path)
        .arg("check-config")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sources[0].uid") && err.contains("sources[0].schedule"),
        "both problems reported: {err}"
    );

    // A Weibo account is a uid or a screen name: both, or neither, is named with file and key.
    for (keys, key, says) in [
        (
            "uid = \"123\"\nscreen_name = \"央视新闻\"\n",
            "sources[0].screen_name",
            "not both",
        ),
        ("", "sources[0].uid", "or `screen_name`"),
    ] {
        std::fs::write(
            &path,
            format!("[[sources]]\nid = \"a\"\nkind = \"weibo\"\nschedule = \"every 5m\"\n{keys}"),
        )
        .unwrap();
        let out = windvane()
            .arg("--config")
            .arg(&path)
            .arg("check-config")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("broken.toml: `{key}`")) && err.contains(says),
            "{err}"
        );
    }
}

#[test]
fn once_with_bad_config_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.toml");
    std::fs::write(&path, "[store\n").unwrap();
    let out = windvane()
        .arg("--config")
        .arg(&path)
        .arg("once")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn classify_json_has_labels_scores_and_evidence() {
    let input = "据悉，美方近期多次通过不同渠道向中方表达希望就关税问题举行会谈的意愿。\n欧盟宣布对部分进口商品加征关税。\n若美方坚持升级关税措施，中方将采取对等反制。\n";
    let out = windvane()
        .args(["classify", "--json"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let labels = |v: &serde_json::Value| -> Vec<String> {
        v["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["label"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(labels(&lines[0]), ["talks"]);
    assert!(labels(&lines[1]).is_empty());
    assert_eq!(labels(&lines[2]), ["escalation"]);
    let talks = &lines[0]["labels"][0];
    let score = talks["score"].as_f64().unwrap();
    assert!(score > 0.5 && score <= 1.0);
    let text: Vec<char> = lines[0]["text"].as_str().unwrap().chars().collect();
    for e in talks["evidence"].as_array().unwrap() {
        let (s, en) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[s..en].iter().collect::<String>(),
            e["term"].as_str().unwrap()
        );
        assert!(!e["gloss"].as_str().unwrap().is_empty());
    }
}
