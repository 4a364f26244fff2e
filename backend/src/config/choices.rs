//! `APP_MODE` and `LOG_FORMAT`: the settings that name one of a few choices.

use std::str::FromStr;

/// `prod` refuses weak settings and sets the defaults a deployment wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Dev,
    Prod,
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        match raw {
            "dev" => Ok(Self::Dev),
            "prod" => Ok(Self::Prod),
            other => Err(format!("expected dev or prod, got {other:?}")),
        }
    }
}

/// How log lines are written: for a terminal, or as JSON for a log collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        match raw {
            "pretty" => Ok(Self::Pretty),
            "json" => Ok(Self::Json),
            other => Err(format!("expected pretty or json, got {other:?}")),
        }
    }
}
