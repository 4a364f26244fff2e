//! `/api/credits*`: balance, packages, purchases, the ledger and daily usage.

mod balance;
mod ledger;
mod purchase;
mod usage;
