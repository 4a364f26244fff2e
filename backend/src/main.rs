//! `backend [serve|migrate|create-admin|grant-credits]`: configuration from the environment
//! (and `.env` when present).

use std::process::ExitCode;

use std::{error::Error, io::IsTerminal};

use backend::{
    Application, Config,
    config::Mode,
    error::ErrorChain,
    tasks::{self, Admin, IfExists},
    telemetry,
};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(version, about = "The SaaS starter's API server and operator tasks")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (for client generators and `make lint`).
    Openapi,
    /// Create an admin. The password comes from ADMIN_PASSWORD (the way for deployments), or a
    /// random one is generated and shown once, on a terminal only.
    CreateAdmin {
        #[arg(long)]
        email: String,
        /// Make an existing account an admin. Its owner chose its password: be sure the account
        /// is the person you mean, not someone who signed up with their email first.
        #[arg(long)]
        promote_existing: bool,
    },
    /// Delete expired sessions now (a running server does it every hour).
    PurgeSessions,
    /// Add credits to an organisation (negative to take back), with a ledger row: `--org ID`, or
    /// `--email` for that user's personal organisation.
    GrantCredits {
        #[arg(long, required_unless_present = "org", conflicts_with = "org")]
        email: Option<String>,
        #[arg(long)]
        org: Option<i64>,
        #[arg(long, allow_hyphen_values = true)]
        amount: i64,
        #[arg(long, default_value = "granted by an operator")]
        reason: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        // Needs no configuration or database.
        return match backend::routes::docs::document().to_pretty_json() {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let dotenv = dotenvy::dotenv();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let _log_writer = telemetry::init(config.log_format);
    if let Ok(path) = dotenv {
        tracing::info!(path = %path.display(), "loaded settings from .env");
    }
    let result: Result<(), Box<dyn Error>> = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Openapi => Ok(()),
        Command::Migrate => tasks::migrate(&config)
            .map(|()| println!("migrations applied"))
            .map_err(Into::into),
        Command::CreateAdmin {
            email,
            promote_existing,
        } => create_admin(&config, &email, promote_existing),
        Command::PurgeSessions => tasks::purge_sessions(&config)
            .map(|purged| println!("{purged} expired sessions deleted"))
            .map_err(Into::into),
        Command::GrantCredits {
            email,
            org,
            amount,
            reason,
        } => {
            let grantee = match (org, email) {
                (Some(id), _) => tasks::Grantee::Organization(id),
                (None, email) => tasks::Grantee::PersonalOf(email.unwrap_or_default()),
            };
            tasks::grant_credits(&config, &grantee, amount, &reason)
                .map(|balance| println!("{grantee} now has {balance} credits"))
                .map_err(Into::into)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", ErrorChain(e.as_ref()));
            ExitCode::FAILURE
        }
    }
}

/// `create-admin`. A generated password is shown on a terminal only: written anywhere else (a CI
/// log, a container's log sink) it would outlive the moment.
fn create_admin(
    config: &Config,
    email: &str,
    promote_existing: bool,
) -> Result<(), Box<dyn Error>> {
    let (password, generated) = match std::env::var("ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ if std::io::stdout().is_terminal() => (backend::auth::secret::random_token(20), true),
        _ => {
            return Err(
                "ADMIN_PASSWORD is not set and the output is not a terminal, where a \
                        generated password could be shown safely: set ADMIN_PASSWORD"
                    .into(),
            );
        }
    };
    let if_exists = if promote_existing {
        IfExists::Promote
    } else {
        IfExists::Refuse
    };
    let admin = tasks::create_admin(config, email, &password, if_exists)?;
    match admin {
        Admin::Created(id) => {
            println!(
                "admin {email} (id {id}) is ready; the server emails it a link to verify the address"
            );
            if generated {
                println!("password (shown once): {password}");
            }
        }
        Admin::Promoted(id) => {
            println!("{email} (id {id}) is now an admin; its password is unchanged")
        }
    }
    Ok(())
}

fn serve(config: Config) -> Result<(), Box<dyn Error>> {
    actix_web::rt::System::new().block_on(async move {
        if config.tokens.signing_keys.is_none() {
            tracing::warn!(
                "JWT_SIGNING_KEYS is not set: access tokens are signed with the dev key in {}",
                backend::auth::signing_key::DEV_KEY_FILE
            );
        }
        let mode = if config.mode == Mode::Prod {
            "prod"
        } else {
            "dev"
        };
        let database = config.database_url.to_string();
        let requested = config.bind_addr;
        let app = Application::build(config).await?;
        let host = match requested.ip() {
            ip if ip.is_unspecified() => "127.0.0.1".to_owned(),
            ip => ip.to_string(),
        };
        tracing::info!(
            "listening on http://{host}:{} ({mode} mode, {database})",
            app.port()
        );
        Ok(app.run_until_stopped().await?)
    })
}
