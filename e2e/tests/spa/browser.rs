//! Headless Chromium through a chromedriver this test starts on a free port, and the few
//! gestures the journey needs (fill a labelled field, press a named button, wait for text).

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// axe-core (npm, pinned in package.json), injected into the pages to check them.
const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../node_modules/axe-core/axe.min.js"
);
const WAIT: Duration = Duration::from_secs(15);

pub type Result<T = ()> = std::result::Result<T, String>;

/// Whether the browser is installed. With CI=true a missing one is a failure, never a skip.
pub fn available() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "{} missing: install them with `make tools` (apt-get install chromium chromium-driver)",
        missing.join(" and ")
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true and {message}");
    }
    eprintln!("\n******** SKIPPING the browser end-to-end tests: {message} ********\n");
    false
}

pub struct Browser {
    pub client: Client,
    driver: Driver,
    /// chromedriver's address, for its commands fantoccini does not have.
    driver_url: String,
    artifacts: PathBuf,
    step: u32,
}

impl Browser {
    pub async fn launch(artifacts: PathBuf) -> Self {
        std::fs::create_dir_all(&artifacts).expect("the artifacts directory");
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map(Driver)
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let downloads = artifacts.join("downloads");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-extensions", "--no-first-run",
                    "--disable-sync", "--window-size=1280,800"
                ],
                // Saved files land in the artifacts, without asking where.
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false
                }
            }),
        );
        // chromedriver takes a moment to listen: retry the session for a few seconds.
        let mut last_error = String::new();
        for _ in 0..50 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Self {
                        client,
                        driver,
                        driver_url: url,
                        artifacts,
                        step: 0,
                    };
                }
                Err(e) => last_error = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("no WebDriver session from {CHROMEDRIVER}: {last_error}");
    }

    /// Where this browser's screenshots go.
    pub fn artifacts(&self) -> &std::path::Path {
        &self.artifacts
    }

    pub async fn goto(&self, url: &str) -> Result {
        self.client
            .goto(url)
            .await
            .map_err(|e| format!("goto {url}: {e}"))
    }

    /// The page's path and query, e.g. "/login?next=%2Fdashboard".
    pub async fn location(&self) -> Result<String> {
        let url = self
            .client
            .current_url()
            .await
            .map_err(|e| format!("current url: {e}"))?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        })
    }

    /// Waits until the page's path is `path` (client-side navigation is asynchronous).
    pub async fn wait_for_path(&self, path: &str) -> Result {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let now = self.location().await?;
            if now.split('?').next() == Some(path) {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("expected to be on {path}, still on {now}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_for(&self, xpath: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(xpath))
            .await
            .map_err(|e| format!("waited {WAIT:?} for {xpath}: {e}"))
    }

    /// Waits for the element with `data-testid` to hold exactly `text`.
    pub async fn wait_for_testid_text(&self, testid: &str, text: &str) -> Result<Element> {
        let xpath = format!("//*[@data-testid='{testid}' and normalize-space()='{text}']");
        match self.wait_for(&xpath).await {
            Ok(element) => Ok(element),
            Err(e) => {
                let now = self.testid_text(testid).await.unwrap_or_default();
                Err(format!("{e} (it says {now:?})"))
            }
        }
    }

    pub async fn testid_text(&self, testid: &str) -> Result<String> {
        let element = self
            .wait_for(&format!("//*[@data-testid='{testid}']"))
            .await?;
        element
            .text()
            .await
            .map(|t| t.trim().to_owned())
            .map_err(|e| format!("text of {testid}: {e}"))
    }

    /// Types into the field whose label is `label` (the accessible name), replacing its value.
    pub async fn fill(&self, label: &str, value: &str) -> Result {
        self.fill_at(
            &format!(
                "//*[(self::input or self::textarea) and @id=//label[normalize-space()='{label}']/@for]"
            ),
            value,
        )
        .await
    }

    /// Types into the field at `xpath`, replacing its value (where a label alone names several).
    pub async fn fill_at(&self, xpath: &str, value: &str) -> Result {
        let field = self.wait_for(xpath).await?;
        field
            .clear()
            .await
            .map_err(|e| format!("clear {xpath}: {e}"))?;
        field
            .send_keys(value)
            .await
            .map_err(|e| format!("type into {xpath}: {e}"))
    }

    /// Picks the option whose text is `option` in the select whose label is `label` (its
    /// accessible name, shown or visually hidden).
    pub async fn choose(&self, label: &str, option: &str) -> Result {
        self.click(&format!(
            "//select[@id=//label[normalize-space()='{label}']/@for]/option[normalize-space()='{option}']"
        ))
        .await
    }

    /// The text of the option shown in the select whose label is `label`.
    pub async fn selected_text(&self, label: &str) -> Result<String> {
        let select = format!("//select[@id=//label[normalize-space()='{label}']/@for]");
        self.wait_for(&select).await?;
        let shown = self
            .client
            .execute(
                "const s = document.evaluate(arguments[0], document, null, 9, null).singleNodeValue; \
                 return s.options[s.selectedIndex].text;",
                vec![serde_json::json!(select)],
            )
            .await
            .map_err(|e| format!("selected option of {label}: {e}"))?;
        Ok(shown.as_str().unwrap_or_default().trim().to_owned())
    }

    /// Clicks the first enabled button whose text is exactly `name`.
    pub async fn press(&self, name: &str) -> Result {
        let button = self
            .wait_for(&format!(
                "//button[normalize-space()='{name}' and not(@disabled)]"
            ))
            .await?;
        button
            .click()
            .await
            .map_err(|e| format!("click {name}: {e}"))
    }

    /// Presses Tab `times` times, as a keyboard user moving through the page; returns the text
    /// of the element that has focus then.
    pub async fn tab(&self, times: usize) -> Result<String> {
        for _ in 0..times {
            let focused = self
                .client
                .active_element()
                .await
                .map_err(|e| format!("focused element: {e}"))?;
            focused
                .send_keys(&fantoccini::key::Key::Tab)
                .await
                .map_err(|e| format!("press Tab: {e}"))?;
        }
        let focused = self
            .client
            .active_element()
            .await
            .map_err(|e| format!("focused element: {e}"))?;
        focused
            .text()
            .await
            .map(|t| t.trim().to_owned())
            .map_err(|e| format!("focused text: {e}"))
    }

    /// Chooses the file at `path` in the file input at `xpath`, as the file picker would.
    pub async fn attach(&self, xpath: &str, path: &Path) -> Result {
        let input = self.wait_for(xpath).await?;
        let path = path.to_str().ok_or("a file path in UTF-8")?;
        input
            .send_keys(path)
            .await
            .map_err(|e| format!("attach {path} at {xpath}: {e}"))
    }

    /// The bytes of the file the browser saved as `name`, once it has finished saving it.
    pub async fn downloaded(&self, name: &str) -> Result<Vec<u8>> {
        let downloads = self.artifacts.join("downloads");
        let (file, partial) = (
            downloads.join(name),
            downloads.join(format!("{name}.crdownload")),
        );
        let deadline = tokio::time::Instant::now() + WAIT;
        while !file.exists() || partial.exists() {
            if tokio::time::Instant::now() > deadline {
                return Err(format!(
                    "waited {WAIT:?} for the download {}",
                    file.display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        std::fs::read(&file).map_err(|e| format!("read {}: {e}", file.display()))
    }

    /// Slows what the page sends to `bytes_per_second` (chromedriver's network emulation), or
    /// lifts the limit (`None`): to see an upload in flight.
    pub async fn throttle_uploads(&self, bytes_per_second: Option<u64>) -> Result {
        let session = self
            .client
            .session_id()
            .await
            .map_err(|e| format!("session id: {e}"))?
            .ok_or("no WebDriver session")?;
        let url = format!(
            "{}/session/{session}/chromium/network_conditions",
            self.driver_url
        );
        let http = reqwest::Client::new();
        let request = match bytes_per_second {
            Some(rate) => http.post(&url).json(&serde_json::json!({
                "network_conditions": {
                    "offline": false,
                    "latency": 0,
                    "upload_throughput": rate,
                    "download_throughput": 100_000_000
                }
            })),
            None => http.delete(&url),
        };
        let response = request.send().await.map_err(|e| format!("{url}: {e}"))?;
        let status = response.status();
        crate::check(status.is_success(), format!("{url}: {status}"))
    }

    /// Clicks the element at `xpath`.
    pub async fn click(&self, xpath: &str) -> Result {
        let element = self.wait_for(xpath).await?;
        element
            .click()
            .await
            .map_err(|e| format!("click {xpath}: {e}"))
    }

    /// Clicks the link whose text is exactly `name`.
    pub async fn follow(&self, name: &str) -> Result {
        let link = self
            .wait_for(&format!("//a[normalize-space()='{name}']"))
            .await?;
        link.click()
            .await
            .map_err(|e| format!("follow {name}: {e}"))
    }

    pub async fn reload(&self) -> Result {
        self.client
            .refresh()
            .await
            .map_err(|e| format!("reload: {e}"))
    }

    pub async fn resize(&self, width: u32, height: u32) -> Result {
        self.client
            .set_window_size(width, height)
            .await
            .map_err(|e| format!("resize: {e}"))
    }

    /// Elements wider than the viewport (nothing may scroll sideways on a phone), described as
    /// "tag.class (width px)".
    pub async fn overflowing(&self) -> Result<Vec<String>> {
        let found = self
            .client
            .execute(
                r#"const limit = document.documentElement.clientWidth;
                   return [...document.querySelectorAll("body *")]
                     .filter(e => e.getBoundingClientRect().right > limit + 1
                                  && !e.closest(".overflow-x-auto, .sr-only"))
                     .map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)}px)`)
                     .slice(0, 10);"#,
                vec![],
            )
            .await
            .map_err(|e| format!("measure overflow: {e}"))?;
        Ok(serde_json::from_value(found).unwrap_or_default())
    }

    pub async fn scroll_to_top(&self) -> Result {
        self.client
            .execute(
                "window.scrollTo(0, 0); document.activeElement?.blur();",
                vec![],
            )
            .await
            .map(|_| ())
            .map_err(|e| format!("scroll: {e}"))
    }

    /// Runs axe-core on the page as it is now: fails, naming the rules and elements, on any
    /// serious or critical violation.
    pub async fn check_accessibility(&self) -> Result {
        let axe = std::fs::read_to_string(AXE)
            .map_err(|e| format!("{AXE}: {e} (install it with `make tools`)"))?;
        self.client
            .execute(&format!("{axe}\nreturn true;"), vec![])
            .await
            .map_err(|e| format!("load axe-core: {e}"))?;
        let found = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { resultTypes: ["violations"] }).then(
                     r => done(r.violations
                       .filter(v => v.impact === "serious" || v.impact === "critical")
                       .map(v => `${v.id} (${v.impact}): ${v.help}; at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)),
                     e => done([`axe-core failed: ${e}`]));"#,
                vec![],
            )
            .await
            .map_err(|e| format!("run axe-core: {e}"))?;
        let violations: Vec<String> = serde_json::from_value(found).map_err(|e| e.to_string())?;
        if violations.is_empty() {
            return Ok(());
        }
        let page = self.location().await.unwrap_or_default();
        Err(format!(
            "axe-core on {page}:\n  {}",
            violations.join("\n  ")
        ))
    }

    /// How many elements match `xpath` right now (no waiting).
    pub async fn count(&self, xpath: &str) -> Result<usize> {
        self.client
            .find_all(Locator::XPath(xpath))
            .await
            .map(|found| found.len())
            .map_err(|e| format!("find {xpath}: {e}"))
    }

    /// Saves `NN-name.png` of the window with the element at `xpath` in its middle: for a spot
    /// further down a page than a full-page shot reaches.
    pub async fn screenshot_at(&mut self, name: &str, xpath: &str) -> Result {
        let element = self.wait_for(xpath).await?;
        let element = serde_json::to_value(&element).map_err(|e| e.to_string())?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'}); document.activeElement?.blur();",
                vec![element],
            )
            .await
            .map_err(|e| format!("scroll to {xpath}: {e}"))?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.step += 1;
        let file = self.artifacts.join(format!("{:02}-{name}.png", self.step));
        let png = self
            .client
            .screenshot()
            .await
            .map_err(|e| format!("screenshot: {e}"))?;
        std::fs::write(&file, png).map_err(|e| format!("write {}: {e}", file.display()))
    }

    /// Saves `NN-name.png` in the artifacts directory: the whole page, not just the viewport.
    pub async fn screenshot(&mut self, name: &str) -> Result {
        self.step += 1;
        let file = self.artifacts.join(format!("{:02}-{name}.png", self.step));
        self.save(&file).await
    }

    /// A full-page PNG: the window grows to the page's height for the shot, then shrinks back.
    pub async fn save(&self, file: &Path) -> Result {
        // Let the last render and transitions settle so the picture shows what the test checked.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let size = self
            .client
            .get_window_size()
            .await
            .map_err(|e| format!("window size: {e}"))?;
        let height = self
            .client
            .execute(
                "window.scrollTo(0, 0); return document.documentElement.scrollHeight;",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(size.1);
        // The window includes the browser's own frame; a little extra avoids a scrollbar.
        let tall = (height + size.1.saturating_sub(self.inner_height().await)).min(6000);
        if tall > size.1 {
            self.resize(size.0 as u32, tall as u32).await?;
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        let png = self.client.screenshot().await;
        if tall > size.1 {
            self.resize(size.0 as u32, size.1 as u32).await?;
        }
        let png = png.map_err(|e| format!("screenshot: {e}"))?;
        std::fs::write(file, png).map_err(|e| format!("write {}: {e}", file.display()))
    }

    async fn inner_height(&self) -> u64 {
        self.client
            .execute("return window.innerHeight;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        drop(self.driver);
    }
}

/// The chromedriver process, stopped when dropped (also when a test panics).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
