//! `CREDIT_PACKAGES`: what users can buy, as `id:credits:price_cents:currency` entries separated
//! by commas.

use std::str::FromStr;

use shared::dto::CreditPackage;

/// The packages on sale, in the order given; ids are unique.
#[derive(Debug, Clone)]
pub struct CreditPackages(pub Vec<CreditPackage>);

impl CreditPackages {
    pub const DEFAULT: &'static str = "starter:100:500:usd,pro:1000:4000:usd,scale:10000:30000:usd";
}

impl FromStr for CreditPackages {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let mut packages: Vec<CreditPackage> = Vec::new();
        for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let package = parse_entry(entry, &packages)?;
            packages.push(package);
        }
        if packages.is_empty() {
            return Err("at least one package is required".to_owned());
        }
        Ok(Self(packages))
    }
}

/// One entry; `earlier` are the packages before it, whose ids it may not reuse.
fn parse_entry(entry: &str, earlier: &[CreditPackage]) -> Result<CreditPackage, String> {
    let parts: Vec<&str> = entry.split(':').map(str::trim).collect();
    let [id, credits, price, currency] = parts.as_slice() else {
        return Err(format!("{entry:?} is not id:credits:price_cents:currency"));
    };
    let positive = |v: &str| v.parse::<i64>().ok().filter(|n| *n > 0);
    let (Some(credits), Some(price_cents)) = (positive(credits), positive(price)) else {
        return Err(format!(
            "{entry:?}: credits and price_cents must be positive whole numbers"
        ));
    };
    let valid_id = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid_id || earlier.iter().any(|p| p.id == *id) {
        return Err(format!(
            "{entry:?}: package ids must be unique and made of letters, digits, - or _"
        ));
    }
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!("{entry:?}: currency must be a 3-letter ISO code"));
    }
    Ok(CreditPackage {
        id: (*id).to_owned(),
        credits,
        price_cents,
        currency: currency.to_ascii_lowercase(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_parses() {
        let CreditPackages(packages) = CreditPackages::DEFAULT.parse().unwrap();
        let ids: Vec<&str> = packages.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["starter", "pro", "scale"]);
    }

    #[test]
    fn currency_is_lower_case() {
        let CreditPackages(packages) = " big : 5 : 99 : EUR ,".parse().unwrap();
        assert_eq!(packages[0].currency, "eur");
        assert_eq!((packages[0].credits, packages[0].price_cents), (5, 99));
    }

    #[test]
    fn refuses_bad_entries() {
        for raw in [
            "a:1:2",
            "a:0:2:usd",
            "a:1:2:usd,a:3:4:usd",
            "a b:1:2:usd",
            "a:1:2:dollars",
            " , ",
        ] {
            assert!(raw.parse::<CreditPackages>().is_err(), "{raw} was accepted");
        }
    }
}
