//! The measurements of one database: a table of phases, run in order. Each is bounded by
//! `Settings::phase` (plus a short warm-up); every server and database they make is gone when the
//! run returns.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use backend::db::AnyConnection;
use futures_util::future::{LocalBoxFuture, try_join_all};
use test_support::{Backend, ScratchDatabase};

use crate::{
    api::{Api, PASSWORD, User},
    inprocess, keyed_load,
    load::{self, Load, LoadResult},
    measured::{Ledger, Measured, Paid, Replicas},
    probe::double_spend,
    server::{Server, Servers},
    settings::{BCRYPT_COST, CONNECTIONS, LEDGER_ROWS_PER_USER, LOGIN_CONNECTIONS, ME_USERS},
    settings::{PAID_USER_CREDITS, Settings},
    sql::{self, LedgerCheck},
};

/// Requests per second of the /healthz probe that runs beside the logins.
pub const HEALTHZ_PROBE_RATE: u32 = 100;

type Phase = for<'a> fn(&'a mut DatabaseRun) -> LocalBoxFuture<'a, Result<()>>;

/// Every phase, in order (boxed: async functions have no common type). Each says what it
/// measures, and skips a database it does not apply to.
const PHASES: [Phase; 12] = [
    |run| Box::pin(starts(run)),
    |run| Box::pin(ceiling(run)),
    |run| Box::pin(seed(run)),
    |run| Box::pin(paid(run)),
    |run| Box::pin(paid_keyed(run)),
    |run| Box::pin(me(run)),
    |run| Box::pin(me_users(run)),
    |run| Box::pin(logins(run)),
    |run| Box::pin(probe(run)),
    |run| Box::pin(scale(run)),
    |run| Box::pin(stop(run)),
    |run| Box::pin(replicas(run)),
];

/// Runs every phase on `kind`; a failed phase ends the run.
pub async fn run(settings: &Settings, kind: Backend, scratch: &Path) -> Result<Measured> {
    let mut run = DatabaseRun {
        s: settings.clone(),
        kind,
        scratch: scratch.to_path_buf(),
        m: Measured::default(),
        main: None,
    };
    for phase in PHASES {
        phase(&mut run).await?;
        if let Some(main) = &mut run.main {
            main.server.check_alive()?;
        }
    }
    Ok(run.m)
}

/// What the phases of one database share.
struct DatabaseRun {
    /// The run's settings.
    s: Settings,
    kind: Backend,
    /// Where SQLite files and server logs go.
    scratch: PathBuf,
    /// What the phases measured so far.
    m: Measured,
    /// From the seed phase to the stop phase.
    main: Option<Seeded>,
}

/// The main server, on a database seeded through its API, and the users the phases load.
struct Seeded {
    server: Server,
    api: Api,
    conn: AnyConnection,
    admin_token: String,
    paid: User,
    /// The paid user's scoped key with spend and rate limits.
    limited_key: String,
    probe: User,
    me_token: String,
    login_email: String,
    // Last: dropped after the server and the connection.
    db: ScratchDatabase,
}

impl DatabaseRun {
    /// Prints what the phase measures.
    fn say(&self, what: &str) {
        eprintln!("bench [{}] {what}", self.kind.name());
    }

    fn fresh_database(&self) -> Result<ScratchDatabase> {
        let admin_url = self.s.postgres_admin_url.as_deref();
        ScratchDatabase::create_in(self.kind, &self.scratch, admin_url, "bench")
    }

    fn servers(&self, db: &ScratchDatabase) -> Servers {
        Servers::new(&self.s, db.url(), &self.scratch)
    }

    /// Says what a phase on the main server measures; lends the settings, the measurements and
    /// that server at once.
    fn seeded(&mut self, what: &str) -> Result<(&Settings, &mut Measured, &mut Seeded)> {
        self.say(what);
        let main = self.main.as_mut().context("the seed phase has not run")?;
        Ok((&self.s, &mut self.m, main))
    }
}

/// A phase's result, under its title.
fn tell(what: String) {
    eprintln!("        -> {what}");
}

/// A load's successes per second, p99 and anything but 200, for the terminal.
fn throughput(l: &LoadResult) -> String {
    let (per_sec, p99, anomalies) = (l.per_sec(200), l.p99_ms, l.anomalies());
    let line = format!("{per_sec:.0} x 200/s, p99 {p99:.2} ms {anomalies}");
    line.trim_end().to_owned()
}

async fn starts(r: &mut DatabaseRun) -> Result<()> {
    r.say("start to ready, empty database");
    for _ in 0..r.s.starts {
        let db = r.fresh_database()?;
        let mut server = r.servers(&db).spawn("start")?;
        r.m.starts.push(server.wait_ready().await?);
        server.stop().await;
    }
    tell(format!("{:?}", r.m.starts));
    Ok(())
}

async fn ceiling(r: &mut DatabaseRun) -> Result<()> {
    r.say("in-process ceiling of the debit");
    let db = r.fresh_database()?;
    let (url, warmup, phase) = (db.url().to_owned(), r.s.warmup, r.s.phase);
    // As many threads as the server's pool has connections (DB_POOL_SIZE, default 8): the most
    // transactions the server itself can have in flight. SQLite has one writer: a raw connection
    // per thread would only fight over the file lock.
    let threads = usize::try_from(inprocess::config_for(&url)?.db_pool_size)?;
    let raw_threads = if r.kind == Backend::Sqlite {
        1
    } else {
        threads
    };
    (r.m.ceiling, r.m.ceiling_raw) = tokio::task::spawn_blocking(move || -> Result<_> {
        use inprocess::{Path, debit_ceiling};
        let pool = debit_ceiling(&url, Path::Pool, threads, warmup, phase).context("pool")?;
        let raw = debit_ceiling(&url, Path::Raw, raw_threads, warmup, phase).context("raw")?;
        Ok((pool, raw))
    })
    .await??;
    let (pool, raw) = (r.m.ceiling.per_sec(), r.m.ceiling_raw.per_sec());
    tell(format!(
        "{pool:.0}/s through the pool, {raw:.0}/s on raw connections"
    ));
    Ok(())
}

async fn seed(r: &mut DatabaseRun) -> Result<()> {
    r.say("seeding through the API (bcrypt cost 12)");
    let db = r.fresh_database()?;
    let servers = r.servers(&db);
    servers.create_admin().await?;
    let mut server = servers.spawn("main")?;
    server.wait_ready().await?;
    let api = Api::new(server.url(""))?;
    let (admin, paid, me, login, probe) = tokio::try_join!(
        api.login_admin(),
        api.signup("paid@bench.invalid"),
        api.signup("me@bench.invalid"),
        api.signup("login@bench.invalid"),
        api.signup("probe@bench.invalid"),
    )?;
    let admin_token = admin.access_token;
    (api.grant(&admin_token, paid.user.id, PAID_USER_CREDITS)).await?;
    let (limited_key, paid, probe) = tokio::try_join!(
        api.limited_key(&paid),
        api.with_key(&paid),
        api.with_key(&probe)
    )?;
    r.main = Some(Seeded {
        conn: sql::connect(db.url())?,
        server,
        api,
        admin_token,
        paid,
        limited_key,
        probe,
        me_token: me.access_token,
        login_email: login.user.email,
        db,
    });
    Ok(())
}

async fn paid(r: &mut DatabaseRun) -> Result<()> {
    let (s, m, main) = r.seeded("paid calls (X-API-Key, 32 connections)")?;
    m.paid = paid_calls(s, main).await?;
    tell(throughput(&m.paid.load));
    Ok(())
}

async fn paid_keyed(r: &mut DatabaseRun) -> Result<()> {
    let what = "paid calls from hyper: plain, then with a scoped, limited key and an \
                Idempotency-Key each (32 connections)";
    let (s, m, main) = r.seeded(what)?;
    let url = main.server.url("");
    let plain = keyed_load::run(&url, &main.paid.key, None, CONNECTIONS, s.phase).await?;
    let key = main.limited_key.as_str();
    let before = LedgerCheck::read(&mut main.conn, main.paid.id)?;
    let warmup = keyed_load::run(&url, key, Some("warmup"), CONNECTIONS, s.warmup).await?;
    let load = keyed_load::run(&url, key, Some("measured"), CONNECTIONS, s.phase).await?;
    let after = LedgerCheck::read(&mut main.conn, main.paid.id)?;
    let ledger = Ledger::compare(before, after, warmup.count(200) + load.count(200))?;
    tell(format!(
        "plain {}; keyed {}",
        throughput(&plain),
        throughput(&load)
    ));
    m.paid_hyper = plain;
    m.paid_keyed = Paid { load, ledger };
    Ok(())
}

/// Paid calls on the paid user's key (after a warm-up), checked against the ledger.
async fn paid_calls(s: &Settings, main: &mut Seeded) -> Result<Paid> {
    let paid = Load::paid(main.server.url(""), &main.paid.key, CONNECTIONS, s.phase);
    let before = LedgerCheck::read(&mut main.conn, main.paid.id)?;
    let [warmup, load] = measured(s, &[paid]).await?;
    let after = LedgerCheck::read(&mut main.conn, main.paid.id)?;
    // oha waits for the requests in flight at the deadline, so every 200 is a debit row.
    let ledger = Ledger::compare(before, after, warmup.count(200) + load.count(200))?;
    Ok(Paid { load, ledger })
}

/// A warm-up (not counted), then the measured run, of `loads` at once; both results.
async fn measured(s: &Settings, loads: &[Load]) -> Result<[LoadResult; 2]> {
    let warmups: Vec<Load> = loads.iter().map(|l| l.lasting(s.warmup)).collect();
    let warmup = load::run_together(&s.oha, &warmups).await?;
    Ok([warmup, load::run_together(&s.oha, loads).await?])
}

/// GET /api/me with `tokens`, CONNECTIONS connections shared among them (oha sends one token per
/// process: one process each).
async fn me_with(s: &Settings, server: &Server, tokens: &[String]) -> Result<LoadResult> {
    let connections = CONNECTIONS / u32::try_from(tokens.len())?;
    let me = |token: &String| Load::get(server.url("/api/me"), connections, s.phase).bearer(token);
    let loads: Vec<Load> = tokens.iter().map(me).collect();
    let [_, load] = measured(s, &loads).await?;
    tell(throughput(&load));
    Ok(load)
}

async fn me(r: &mut DatabaseRun) -> Result<()> {
    let (s, m, main) = r.seeded("GET /api/me (Bearer, 32 connections)")?;
    m.me = me_with(s, &main.server, std::slice::from_ref(&main.me_token)).await?;
    Ok(())
}

async fn me_users(r: &mut DatabaseRun) -> Result<()> {
    let (s, m, main) = r.seeded("GET /api/me (Bearer, 8 users, 4 connections each)")?;
    let emails: Vec<String> = (0..ME_USERS)
        .map(|i| format!("me{i}@bench.invalid"))
        .collect();
    let users = try_join_all(emails.iter().map(|e| main.api.signup(e))).await?;
    let tokens: Vec<String> = users.into_iter().map(|u| u.access_token).collect();
    m.me_users = me_with(s, &main.server, &tokens).await?;
    Ok(())
}

async fn logins(r: &mut DatabaseRun) -> Result<()> {
    let (s, m, main) = r.seeded("logins (cost 12, 16 at once) with /healthz probed beside them")?;
    m.bcrypt_seconds =
        tokio::task::spawn_blocking(|| inprocess::bcrypt_seconds(BCRYPT_COST)).await??;
    let body = serde_json::json!({ "email": main.login_email, "password": PASSWORD }).to_string();
    let url = main.server.url("/api/auth/login");
    let logins = Load::post_json(url, &body, LOGIN_CONNECTIONS, s.phase);
    let probe = Load::get(main.server.url("/healthz"), 1, s.phase).rate(HEALTHZ_PROBE_RATE);
    (m.logins, m.healthz) =
        tokio::try_join!(load::run(&s.oha, &logins), load::run(&s.oha, &probe))?;
    let (bcrypt_ms, p99) = (m.bcrypt_seconds * 1000.0, m.healthz.p99_ms);
    let logins = m.logins.per_sec(200);
    tell(format!(
        "bcrypt {bcrypt_ms:.0} ms; logins {logins:.2}/s; /healthz p99 {p99:.2} ms"
    ));
    Ok(())
}

async fn probe(r: &mut DatabaseRun) -> Result<()> {
    let (s, m, main) = r.seeded("double-spend probe")?;
    let urls = [main.server.url("")];
    let (api, admin) = (&main.api, main.admin_token.as_str());
    m.probe = double_spend(s, api, admin, &main.probe, &urls, &mut main.conn).await?;
    Ok(())
}

async fn scale(r: &mut DatabaseRun) -> Result<()> {
    let (s, m, main) = r.seeded("scale seed (SQL), then paid calls again")?;
    let (url, users) = (main.db.url().to_owned(), s.scale_users);
    m.seed = tokio::task::spawn_blocking(move || {
        sql::scale_seed(&mut sql::connect(&url)?, users, LEDGER_ROWS_PER_USER)
    })
    .await??;
    let newest = "SELECT CAST(MAX(id) AS BIGINT) AS n FROM credit_ledger";
    let before = sql::number(&mut main.conn, newest)? + 1;
    // A ledger page is an organisation's: the users' personal ones hold their ledgers.
    let mut organizations = [0; 2];
    let users = [m.seed.sample_user, main.paid.id];
    for ((organization, plan), user) in organizations.iter_mut().zip(&mut m.plans).zip(users) {
        *organization = sql::personal_organization(&mut main.conn, user)?;
        *plan = sql::explain(&mut main.conn, &sql::ledger_page_sql(*organization, before))?;
    }
    let (url, [seeded, hot]) = (main.db.url().to_owned(), organizations);
    m.page_us = tokio::task::spawn_blocking(move || -> Result<_> {
        let page = |organization| inprocess::ledger_page_micros(&url, organization, None);
        Ok([page(seeded)?, page(hot)?])
    })
    .await??;
    m.scaled = paid_calls(s, main).await?;
    let (seconds, throughput) = (m.seed.seconds, throughput(&m.scaled.load));
    tell(format!("seeded in {seconds:.1} s; {throughput}"));
    Ok(())
}

async fn stop(r: &mut DatabaseRun) -> Result<()> {
    let main = r.main.take().context("the seed phase has not run")?;
    r.m.peak_rss_kib = main.server.peak_rss_kib()?;
    main.server.stop().await;
    Ok(())
}

/// Two servers started at the same moment on one fresh PostgreSQL database (their migrations
/// must not race), then paid calls through both on one user.
async fn replicas(r: &mut DatabaseRun) -> Result<()> {
    if r.kind != Backend::Postgres {
        return Ok(());
    }
    r.say("two replicas on one database");
    let (s, db) = (&r.s, r.fresh_database()?);
    let servers = r.servers(&db);
    let (mut a, mut b) = (servers.spawn("replica-a")?, servers.spawn("replica-b")?);
    let (ready_a, ready_b) = tokio::join!(a.wait_ready(), b.wait_ready());
    let starts = vec![ready_a.context("replica A")?, ready_b.context("replica B")?];
    servers.create_admin().await?;
    let (api_a, api_b) = (Api::new(a.url(""))?, Api::new(b.url(""))?);
    let (admin, probe, hot) = tokio::try_join!(
        api_a.login_admin(),
        api_b.signup("probe@bench.invalid"),
        api_a.signup("hot@bench.invalid"),
    )?;
    let (probe, hot) = tokio::try_join!(api_a.with_key(&probe), api_b.with_key(&hot))?;
    let mut conn = sql::connect(db.url())?;
    let urls = [a.url(""), b.url("")];
    let admin = admin.access_token;
    let probe = double_spend(s, &api_b, &admin, &probe, &urls, &mut conn).await?;

    api_a.grant(&admin, hot.id, PAID_USER_CREDITS).await?;
    let before = LedgerCheck::read(&mut conn, hot.id)?;
    let paid = |url: &String| Load::paid(url.clone(), &hot.key, CONNECTIONS / 2, s.phase);
    let loads: Vec<Load> = urls.iter().map(paid).collect();
    let loads = try_join_all(loads.iter().map(|l| load::run(&s.oha, l))).await?;
    a.check_alive()?;
    b.check_alive()?;
    let after = LedgerCheck::read(&mut conn, hot.id)?;
    let ledger = Ledger::compare(before, after, loads.iter().map(|l| l.count(200)).sum())?;
    tell(ledger.note.clone());
    r.m.replicas = Some(Replicas {
        starts,
        probe,
        loads,
        ledger,
    });
    a.stop().await;
    b.stop().await;
    Ok(())
}
