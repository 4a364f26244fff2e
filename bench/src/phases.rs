//! The measurements of one database kind, in order. Each phase is bounded by `Settings::phase`
//! (plus a short warm-up); every server and database it makes is gone when it returns.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use futures_util::future::{join_all, try_join_all};
use serde::Serialize;

use crate::{
    database::{Direct, FreshDatabase, Scratch},
    inprocess::{self, Ceiling},
    load::{self, Load, LoadResult},
    seed::{self, ADMIN_EMAIL, Api, PAID_BODY, PASSWORD, ScaleSeed},
    server::{Server, ServerEnv},
    settings::{
        BCRYPT_COST, CONNECTIONS, Kind, LEDGER_ROWS_PER_USER, LOGIN_CONNECTIONS, ME_USERS,
        PAID_USER_CREDITS, Settings,
    },
};

const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// Requests per second of the /healthz probe that runs beside the logins.
pub const HEALTHZ_PROBE_RATE: u32 = 100;
/// Calls of the double-spend probe beyond the balance.
const PROBE_EXTRA_CALLS: i64 = 100;

/// Everything measured on one database kind.
pub struct DbResults {
    pub kind: Kind,
    /// Spawn to the first 200 from /readyz, empty database (migrations included).
    pub starts: Vec<Duration>,
    pub ceiling: Ceiling,
    pub ceiling_raw: Ceiling,
    pub paid: Paid,
    pub me: LoadResult,
    /// GET /api/me by `ME_USERS` users at once.
    pub me_users: LoadResult,
    pub bcrypt_seconds: f64,
    pub logins: LoadResult,
    pub healthz: LoadResult,
    pub probe: Vec<ProbeRound>,
    pub scale: Scale,
    pub peak_rss_kib: u64,
    pub replicas: Option<Replicas>,
}

/// A paid-call phase and what the ledger says about it.
pub struct Paid {
    pub load: LoadResult,
    pub ledger_ok: bool,
    pub ledger_note: String,
}

impl Paid {
    pub fn per_sec(&self) -> f64 {
        self.load.per_sec(200)
    }
}

/// One round of the double-spend probe.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeRound {
    pub balance_before: i64,
    pub calls: i64,
    pub ok: i64,
    pub refused: i64,
    pub other: i64,
    pub balance_after: i64,
    pub ledger_consistent: bool,
}

impl ProbeRound {
    pub fn exact(&self) -> bool {
        self.ok == self.balance_before
            && self.refused == self.calls - self.balance_before
            && self.other == 0
            && self.balance_after == 0
            && self.ledger_consistent
    }
}

pub struct Scale {
    pub seed: ScaleSeed,
    pub paid: Paid,
    /// EXPLAIN of a ledger page of a seeded user (10 rows) and of the hot paid-call user.
    pub plan_seeded: Vec<String>,
    pub plan_hot: Vec<String>,
    /// Median in-process time of a 50-row ledger page, microseconds.
    pub page_us_seeded: f64,
    pub page_us_hot: f64,
}

impl Scale {
    pub fn keyset_index_used(&self) -> bool {
        let uses = |plan: &[String]| plan.iter().any(|l| l.contains("credit_ledger_user_id_id"));
        uses(&self.plan_seeded) && uses(&self.plan_hot)
    }
}

/// Two servers on one PostgreSQL database.
pub struct Replicas {
    pub starts: Vec<Duration>,
    pub probe: Vec<ProbeRound>,
    /// Paid calls on one hot user through both replicas at once.
    pub loads: Vec<LoadResult>,
    pub ledger_ok: bool,
    pub ledger_note: String,
}

impl Replicas {
    pub fn per_sec(&self) -> f64 {
        self.loads.iter().map(|l| l.per_sec(200)).sum()
    }
}

pub async fn run(settings: &Settings, kind: Kind, scratch: &Scratch) -> Result<DbResults> {
    let admin_url = settings.postgres_admin_url.as_deref();
    let fresh = |label: &str| FreshDatabase::create(kind, scratch.path(), admin_url, label);

    say(kind, "start to ready, empty database");
    let mut starts = Vec::new();
    for _ in 0..settings.starts {
        let db = fresh("start")?;
        let mut server = ServerEnv::new(settings, &db.url, scratch.path()).spawn("start")?;
        starts.push(server.wait_ready(READY_TIMEOUT).await?);
        server.stop().await;
    }
    tell(format!("{:?}", starts));

    say(kind, "in-process ceiling of the debit");
    let (ceiling, ceiling_raw) = {
        let db = fresh("ceiling")?;
        let url = db.url.clone();
        // As many threads as the server's pool has connections (DB_POOL_SIZE, default 8): the
        // most transactions the server itself can have in flight.
        let threads = usize::try_from(inprocess::config_for(&url)?.db_pool_size)?;
        let (warmup, phase) = (settings.warmup, settings.phase);
        // SQLite has one writer: a raw connection per thread would only fight over the file lock.
        let raw_threads = if kind == Kind::Sqlite { 1 } else { threads };
        tokio::task::spawn_blocking(move || -> Result<(Ceiling, Ceiling)> {
            let pool =
                inprocess::debit_ceiling(&url, inprocess::Path::Pool, threads, warmup, phase)
                    .context("in-process ceiling (pool)")?;
            let raw =
                inprocess::debit_ceiling(&url, inprocess::Path::Raw, raw_threads, warmup, phase)
                    .context("in-process ceiling (raw connection)")?;
            Ok((pool, raw))
        })
        .await??
    };
    tell(format!(
        "{:.0}/s through the pool ({} threads), {:.0}/s on raw connections",
        ceiling.per_sec(),
        ceiling.threads,
        ceiling_raw.per_sec()
    ));

    say(kind, "seeding through the API (bcrypt cost 12)");
    let db = fresh("main")?;
    let env = ServerEnv::new(settings, &db.url, scratch.path());
    env.run_task(
        &["create-admin", "--email", ADMIN_EMAIL],
        &[("ADMIN_PASSWORD", PASSWORD)],
    )
    .await?;
    let mut server = env.spawn("main")?;
    server.wait_ready(READY_TIMEOUT).await?;
    let api = Api::new(server.url(""))?;
    let (admin, paid_user, me_user, login_user, probe_user) = tokio::try_join!(
        api.login(ADMIN_EMAIL, PASSWORD),
        api.signup("paid@bench.invalid"),
        api.signup("me@bench.invalid"),
        api.signup("login@bench.invalid"),
        api.signup("probe@bench.invalid"),
    )?;
    let admin_token = admin.access_token;
    api.grant(&admin_token, paid_user.user.id, PAID_USER_CREDITS)
        .await?;
    let paid_key = api.create_key(&paid_user.access_token).await?;
    let probe_key = api.create_key(&probe_user.access_token).await?;
    let mut direct = db.connect()?;

    say(kind, "paid calls (X-API-Key, 32 connections)");
    let paid = paid_phase(settings, &server, &paid_key, &mut direct, paid_user.user.id).await?;
    tell(throughput(&paid.load));
    server.check_alive()?;

    say(kind, "GET /api/me (Bearer, 32 connections)");
    let me_load = Load::get(server.url("/api/me"), CONNECTIONS, settings.phase)
        .header(format!("Authorization: Bearer {}", me_user.access_token));
    let me = measured(settings, &me_load).await?;
    tell(throughput(&me));
    server.check_alive()?;

    say(
        kind,
        &format!(
            "GET /api/me (Bearer, {ME_USERS} users, {} connections each)",
            CONNECTIONS / ME_USERS
        ),
    );
    let emails: Vec<String> = (0..ME_USERS)
        .map(|i| format!("me{i}@bench.invalid"))
        .collect();
    let tokens = try_join_all(emails.iter().map(|e| api.signup(e))).await?;
    let me_loads: Vec<Load> = tokens
        .iter()
        .map(|t| {
            Load::get(
                server.url("/api/me"),
                CONNECTIONS / ME_USERS,
                settings.phase,
            )
            .header(format!("Authorization: Bearer {}", t.access_token))
        })
        .collect();
    let me_users = measured_together(settings, &me_loads).await?;
    tell(throughput(&me_users));
    server.check_alive()?;

    say(
        kind,
        "logins (cost 12, 16 at once) with /healthz probed beside them",
    );
    let bcrypt_seconds =
        tokio::task::spawn_blocking(|| inprocess::bcrypt_seconds(BCRYPT_COST)).await??;
    let login_body =
        serde_json::json!({ "email": login_user.user.email, "password": PASSWORD }).to_string();
    let login_load = Load::post_json(
        server.url("/api/auth/login"),
        &login_body,
        LOGIN_CONNECTIONS,
        settings.phase,
    );
    let probe_load = Load::get(server.url("/healthz"), 1, settings.phase).rate(HEALTHZ_PROBE_RATE);
    let (logins, healthz) = tokio::try_join!(
        load::run(&settings.oha, &login_load),
        load::run(&settings.oha, &probe_load)
    )?;
    tell(format!(
        "bcrypt {:.0} ms; logins {:.2}/s; /healthz p99 {:.2} ms",
        bcrypt_seconds * 1000.0,
        logins.per_sec(200),
        healthz.p99_ms
    ));
    server.check_alive()?;

    say(kind, "double-spend probe");
    let probe = double_spend(
        settings,
        &api,
        &admin_token,
        probe_user.user.id,
        &probe_key,
        &[&server],
        &mut direct,
    )
    .await?;
    tell(format!(
        "{:?}",
        probe.iter().map(|r| r.ok).collect::<Vec<_>>()
    ));

    say(kind, "scale seed (SQL), then paid calls again");
    let scale = scale_phase(
        settings,
        kind,
        &db,
        &server,
        &paid_key,
        &mut direct,
        paid_user.user.id,
    )
    .await?;

    tell(format!(
        "seeded in {:.1} s; {}",
        scale.seed.seconds,
        throughput(&scale.paid.load)
    ));
    server.check_alive()?;
    let peak_rss_kib = server.peak_rss_kib()?;
    server.stop().await;
    drop(direct);
    drop(db);

    let replicas = if kind == Kind::Postgres {
        say(kind, "two replicas on one database");
        Some(replicas(settings, scratch).await?)
    } else {
        None
    };

    Ok(DbResults {
        kind,
        starts,
        ceiling,
        ceiling_raw,
        paid,
        me,
        me_users,
        bcrypt_seconds,
        logins,
        healthz,
        probe,
        scale,
        peak_rss_kib,
        replicas,
    })
}

fn say(kind: Kind, what: &str) {
    eprintln!("bench [{}] {what}", kind.name());
}

fn tell(what: String) {
    eprintln!("        -> {what}");
}

fn throughput(l: &LoadResult) -> String {
    format!(
        "{:.0} x 200/s, p99 {:.2} ms{}",
        l.per_sec(200),
        l.p99_ms,
        match l.anomalies() {
            a if a.is_empty() => String::new(),
            a => format!(" ({a})"),
        }
    )
}

/// A warm-up (not counted), then the measured run.
async fn measured(settings: &Settings, load: &Load) -> Result<LoadResult> {
    measured_together(settings, std::slice::from_ref(load)).await
}

/// `measured` for several runs at once.
async fn measured_together(settings: &Settings, loads: &[Load]) -> Result<LoadResult> {
    let warmups: Vec<Load> = loads
        .iter()
        .map(|l| Load {
            duration: settings.warmup,
            ..l.clone()
        })
        .collect();
    load::run_together(&settings.oha, &warmups).await?;
    load::run_together(&settings.oha, loads).await
}

async fn paid_phase(
    settings: &Settings,
    server: &Server,
    key: &str,
    direct: &mut Direct,
    user_id: i64,
) -> Result<Paid> {
    let before = direct.ledger_check(user_id)?;
    let paid = Load::post_json(
        server.url("/api/generate-text"),
        PAID_BODY,
        CONNECTIONS,
        settings.phase,
    )
    .header(format!("X-API-Key: {key}"));
    let warmup = load::run(
        &settings.oha,
        &Load {
            duration: settings.warmup,
            ..paid.clone()
        },
    )
    .await?;
    let load = load::run(&settings.oha, &paid).await?;
    let after = direct.ledger_check(user_id)?;
    // oha waits for the requests in flight at the deadline, so every 200 is a debit row.
    let successes = i64::try_from(warmup.count(200) + load.count(200))?;
    let debits = after.debits - before.debits;
    let ledger_ok = after.consistent() && debits == successes;
    let ledger_note = format!(
        "{successes} successes, {debits} debit rows; balance {} = sum of deltas {}",
        after.credits, after.sum
    );
    Ok(Paid {
        load,
        ledger_ok,
        ledger_note,
    })
}

/// Rounds of: grant B, fire B + 100 paid calls at once (spread over `servers`), count.
async fn double_spend(
    settings: &Settings,
    api: &Api,
    admin_token: &str,
    user_id: i64,
    key: &str,
    servers: &[&Server],
    direct: &mut Direct,
) -> Result<Vec<ProbeRound>> {
    let urls: Vec<String> = servers
        .iter()
        .map(|s| s.url("/api/generate-text"))
        .collect();
    let balance = settings.probe_balance;
    let calls = balance + PROBE_EXTRA_CALLS;
    let mut rounds = Vec::new();
    for _ in 0..settings.rounds {
        let start = direct.ledger_check(user_id)?.credits;
        if start != 0 {
            bail!("the probe user has {start} credits before a round (expected 0)");
        }
        api.grant(admin_token, user_id, balance).await?;
        // A new client per round: every call opens its own connection, all at once.
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(0)
            .build()?;
        let calls_made = (0..calls).map(|i| {
            let url = &urls[usize::try_from(i).unwrap_or(0) % urls.len()];
            client
                .post(url)
                .header("X-API-Key", key)
                .header("content-type", "application/json")
                .body(PAID_BODY)
                .send()
        });
        let answers = join_all(calls_made).await;
        let (mut ok, mut refused, mut other) = (0, 0, 0);
        for answer in answers {
            match answer.map(|r| r.status().as_u16()) {
                Ok(200) => ok += 1,
                Ok(402) => refused += 1,
                _ => other += 1,
            }
        }
        let check = direct.ledger_check(user_id)?;
        rounds.push(ProbeRound {
            balance_before: balance,
            calls,
            ok,
            refused,
            other,
            balance_after: check.credits,
            ledger_consistent: check.consistent(),
        });
        if check.credits != 0 {
            // Spend what is left so the next round starts from 0 (and says so in the report).
            api.grant(admin_token, user_id, -check.credits).await?;
        }
    }
    Ok(rounds)
}

async fn scale_phase(
    settings: &Settings,
    kind: Kind,
    db: &FreshDatabase,
    server: &Server,
    paid_key: &str,
    direct: &mut Direct,
    hot_user: i64,
) -> Result<Scale> {
    let (users, url) = (settings.scale_users, db.url.clone());
    let seed = tokio::task::spawn_blocking(move || -> Result<ScaleSeed> {
        let mut conn = Direct::connect(kind, &url)?;
        seed::scale_seed(&mut conn, kind, users, LEDGER_ROWS_PER_USER)
    })
    .await??;
    let newest = direct.number("SELECT CAST(MAX(id) AS BIGINT) AS n FROM credit_ledger")?;
    let plan_seeded = direct.explain(&seed::ledger_page_sql(seed.sample_user, newest + 1))?;
    let plan_hot = direct.explain(&seed::ledger_page_sql(hot_user, newest + 1))?;
    let (url, sample) = (db.url.clone(), seed.sample_user);
    let (page_us_seeded, page_us_hot) =
        tokio::task::spawn_blocking(move || -> Result<(f64, f64)> {
            Ok((
                inprocess::ledger_page_micros(&url, sample, None)?,
                inprocess::ledger_page_micros(&url, hot_user, None)?,
            ))
        })
        .await??;
    let paid = paid_phase(settings, server, paid_key, direct, hot_user).await?;
    Ok(Scale {
        seed,
        paid,
        plan_seeded,
        plan_hot,
        page_us_seeded,
        page_us_hot,
    })
}

/// Two servers started at the same moment on one fresh PostgreSQL database (their migrations
/// must not race), then paid calls through both on one user.
async fn replicas(settings: &Settings, scratch: &Scratch) -> Result<Replicas> {
    let db = FreshDatabase::create(
        Kind::Postgres,
        scratch.path(),
        settings.postgres_admin_url.as_deref(),
        "replicas",
    )?;
    let env = ServerEnv::new(settings, &db.url, scratch.path());
    let mut a = env.spawn("replica-a")?;
    let mut b = env.spawn("replica-b")?;
    let (ready_a, ready_b) = tokio::join!(a.wait_ready(READY_TIMEOUT), b.wait_ready(READY_TIMEOUT));
    let starts = vec![ready_a.context("replica A")?, ready_b.context("replica B")?];
    env.run_task(
        &["create-admin", "--email", ADMIN_EMAIL],
        &[("ADMIN_PASSWORD", PASSWORD)],
    )
    .await?;
    let (api_a, api_b) = (Api::new(a.url(""))?, Api::new(b.url(""))?);
    let (admin, probe_user, hot_user) = tokio::try_join!(
        api_a.login(ADMIN_EMAIL, PASSWORD),
        api_b.signup("probe@bench.invalid"),
        api_a.signup("hot@bench.invalid"),
    )?;
    let probe_key = api_a.create_key(&probe_user.access_token).await?;
    let hot_key = api_b.create_key(&hot_user.access_token).await?;
    let mut direct = db.connect()?;

    let probe = double_spend(
        settings,
        &api_b,
        &admin.access_token,
        probe_user.user.id,
        &probe_key,
        &[&a, &b],
        &mut direct,
    )
    .await?;

    api_a
        .grant(&admin.access_token, hot_user.user.id, PAID_USER_CREDITS)
        .await?;
    let before = direct.ledger_check(hot_user.user.id)?;
    let half = CONNECTIONS / 2;
    let load_on = |server: &Server| {
        Load::post_json(
            server.url("/api/generate-text"),
            PAID_BODY,
            half,
            settings.phase,
        )
        .header(format!("X-API-Key: {hot_key}"))
    };
    let (load_a, load_b) = (load_on(&a), load_on(&b));
    let (la, lb) = tokio::try_join!(
        load::run(&settings.oha, &load_a),
        load::run(&settings.oha, &load_b)
    )?;
    a.check_alive()?;
    b.check_alive()?;
    let after = direct.ledger_check(hot_user.user.id)?;
    let successes = i64::try_from(la.count(200) + lb.count(200))?;
    let debits = after.debits - before.debits;
    let ledger_ok = after.consistent() && debits == successes;
    let ledger_note = format!(
        "{successes} successes, {debits} debit rows; balance {} = sum of deltas {}",
        after.credits, after.sum
    );
    a.stop().await;
    b.stop().await;
    Ok(Replicas {
        starts,
        probe,
        loads: vec![la, lb],
        ledger_ok,
        ledger_note,
    })
}
