//! Buying credits through Stripe: Checkout Sessions against a local fake of Stripe's API, and
//! webhooks signed in the test with a known secret, exactly as Stripe signs them.

mod checkout;
mod fake_stripe;
mod webhook;
