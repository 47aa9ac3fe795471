//! Running the real `chatsphere-headless` binary from tests.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub const NUMBER: &str = "106540352242922";
pub const APP_SECRET: &str = "headless-test-secret";
pub const VERIFY_TOKEN: &str = "headless-verify";

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_chatsphere-headless")
}

/// A running `serve`; killed with SIGKILL when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Sends SIGTERM and waits; returns whether the process exited successfully.
    pub fn terminate(mut self) -> bool {
        let sent = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM delivered");
        self.child.wait().expect("server exits").success()
    }

    /// SIGKILL: no chance to flush or clean up.
    pub fn kill_hard(mut self) {
        self.child.kill().expect("SIGKILL delivered");
        self.child.wait().expect("server reaped");
    }
}

pub fn serve(data_dir: &Path) -> Server {
    let mut child = Command::new(binary())
        .args(["serve", "--data-dir"])
        .arg(data_dir)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--graph-url",
            "http://127.0.0.1:9",
        ])
        .env("CHATSPHERE_APP_SECRET", APP_SECRET)
        .env("CHATSPHERE_VERIFY_TOKEN", VERIFY_TOKEN)
        .env("CHATSPHERE_ACCESS_TOKEN", "unused")
        .env(
            "CHATSPHERE_PHONE_NUMBER_ID",
            format!("{NUMBER}, 1122334455667"),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("server starts");
    let stdout = child.stdout.take().expect("stdout piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("server prints its address");
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .expect("an address");
    Server { child, addr }
}

pub fn export(data_dir: &Path) -> Vec<Value> {
    let output = Command::new(binary())
        .args(["export", "--format", "jsonl", "--data-dir"])
        .arg(data_dir)
        .output()
        .expect("export runs");
    assert!(
        output.status.success(),
        "export succeeds: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("export is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}
