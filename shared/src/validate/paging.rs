//! Keyset paging of lists (the ledger, the admin's user list): the page size.

use super::{ValidationError, count_up_to};

pub const PAGE_DEFAULT_LIMIT: i64 = 50;
pub const PAGE_MAX_LIMIT: i64 = 200;

/// The `limit` of a paginated list: 1 to 200, 50 when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimit(i64);

impl PageLimit {
    pub fn parse(raw: Option<i64>) -> Result<Self, ValidationError> {
        count_up_to(raw, "limit", PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT).map(Self)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_limits() {
        assert_eq!(PageLimit::parse(None).map(PageLimit::get), Ok(50));
        assert_eq!(PageLimit::parse(Some(200)).map(PageLimit::get), Ok(200));
        for bad in [0, 201, -1] {
            let err = PageLimit::parse(Some(bad)).unwrap_err();
            assert_eq!(err.message, "limit must be between 1 and 200");
        }
    }
}
