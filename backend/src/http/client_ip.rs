//! The client's IP address: the TCP peer, or, behind a proxy we run (`TRUST_PROXY=true`), the
//! address the proxy appended last to `X-Forwarded-For`. Without the setting the header is
//! ignored, since anyone can send it.

use std::net::{IpAddr, Ipv6Addr};

use actix_web::HttpRequest;

fn client_ip(req: &HttpRequest, trust_proxy: bool) -> Option<IpAddr> {
    if trust_proxy {
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
            .last();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    req.peer_addr().map(|a| a.ip())
}

/// A client as the rate limits count it: an IPv4 address, or the /64 of an IPv6 address, the
/// least a subscriber is given (counted per address, one client would have 2^64 quotas). An
/// IPv4 address written as IPv6 (`::ffff:a.b.c.d`) is that IPv4 client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientNet(Option<IpAddr>);

impl ClientNet {
    pub fn of(req: &HttpRequest, trust_proxy: bool) -> Self {
        Self(
            client_ip(req, trust_proxy).map(|ip| match ip.to_canonical() {
                IpAddr::V6(v6) => {
                    IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !u128::from(u64::MAX)))
                }
                v4 @ IpAddr::V4(_) => v4,
            }),
        )
    }
}
