//! Where a webhook may be sent: the guard against making the shop's functions call into its
//! own network (SSRF). An endpoint's URL is checked when it is created and again before every
//! POST: its host is resolved, and every address it resolves to must be public. The POST then
//! connects to the address that was checked (not a second lookup, which a rebinding DNS server
//! could answer differently) and follows no redirect.
//!
//! The local stack (and tests) set `WEBHOOKS_ALLOW_LOOPBACK=1`: receivers there run on
//! 127.0.0.1, over plain http.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::Url;

use crate::config::{self, ConfigError};

pub const MAX_URL_CHARS: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetPolicy {
    /// Loopback receivers (127.0.0.0/8, ::1, `localhost`), also over http: the local stack only.
    pub allow_loopback: bool,
}

impl TargetPolicy {
    /// What a deployed stack allows: public addresses over https.
    pub const DEPLOYED: TargetPolicy = TargetPolicy {
        allow_loopback: false,
    };
    pub const LOCAL: TargetPolicy = TargetPolicy {
        allow_loopback: true,
    };

    /// `WEBHOOKS_ALLOW_LOOPBACK` (`1`/`true`; unset: deployed rules).
    pub fn from_env() -> Result<Self, ConfigError> {
        let allow = match config::optional("WEBHOOKS_ALLOW_LOOPBACK").as_deref() {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(other) => {
                return Err(ConfigError::Malformed {
                    name: "WEBHOOKS_ALLOW_LOOPBACK",
                    reason: format!("{other:?} is not 1, 0, true or false"),
                });
            }
        };
        Ok(Self {
            allow_loopback: allow,
        })
    }

    fn allows(self, ip: IpAddr) -> bool {
        if self.allow_loopback && is_loopback(ip) {
            return true;
        }
        !is_forbidden(ip)
    }
}

/// Why a URL may not receive webhooks; the text is meant for the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("{0}")]
    Invalid(String),
    #[error("the host does not resolve")]
    Unresolvable,
    #[error("the host resolves to a private, loopback, link-local or metadata address ({0})")]
    Forbidden(IpAddr),
}

/// The syntax rules: an absolute `https://` URL without credentials (locally also `http://` to
/// a loopback host), at most 2048 characters.
pub fn parse_url(raw: &str, policy: TargetPolicy) -> Result<Url, TargetError> {
    let invalid = |reason: &str| TargetError::Invalid(reason.to_owned());
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(invalid("must be at most 2048 characters"));
    }
    let url = Url::parse(raw.trim()).map_err(|_| invalid("must be an absolute URL"))?;
    let host = url
        .host_str()
        .ok_or_else(|| invalid("must name a host"))?
        .to_owned();
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not carry a user name or password"));
    }
    match url.scheme() {
        "https" => {}
        "http" if policy.allow_loopback && is_loopback_host(&host) => {}
        _ if policy.allow_loopback => {
            return Err(invalid(
                "must be https:// (or http://127.0.0.1 / http://localhost on the local stack)",
            ));
        }
        _ => return Err(invalid("must be https://")),
    }
    Ok(url)
}

/// Resolves the URL's host and checks every address: one forbidden address refuses the URL
/// (a host with a public and a private address could be made to reach either).
pub async fn resolve(url: &Url, policy: TargetPolicy) -> Result<Vec<SocketAddr>, TargetError> {
    let host = url
        .host_str()
        .ok_or_else(|| TargetError::Invalid("must name a host".to_owned()))?;
    let port = url.port_or_known_default().unwrap_or(443);
    // `[::1]` in a URL is the address ::1.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map_err(|_| TargetError::Unresolvable)?
            .collect(),
    };
    if addresses.is_empty() {
        return Err(TargetError::Unresolvable);
    }
    if let Some(bad) = addresses
        .iter()
        .find(|address| !policy.allows(address.ip()))
    {
        return Err(TargetError::Forbidden(bad.ip()));
    }
    Ok(addresses)
}

fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(is_loopback)
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Addresses a webhook must never reach: unspecified, loopback, private, shared (CGNAT),
/// link-local (with the cloud metadata service 169.254.169.254), unique-local (with EC2's
/// fd00:ec2::254), multicast, broadcast and reserved ranges, and IPv6 forms that embed one.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => is_forbidden_v6(v6),
    }
}

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_unspecified()
        || a == 0                                   // 0.0.0.0/8 "this network"
        || ip.is_loopback()                         // 127.0.0.0/8
        || ip.is_private()                          // 10/8, 172.16/12, 192.168/16
        || (a == 100 && (64..128).contains(&b))     // 100.64.0.0/10 shared address space (CGNAT)
        || ip.is_link_local()                       // 169.254.0.0/16, metadata included
        || (a == 192 && b == 0 && c == 0)           // 192.0.0.0/24 IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19))       // 198.18.0.0/15 benchmarking
        || ip.is_multicast()                        // 224.0.0.0/4
        || a >= 240 // 240.0.0.0/4 reserved, 255.255.255.255 broadcast
}

fn is_forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_forbidden_v4(v4); // ::ffff:a.b.c.d
    }
    let segments = ip.segments();
    // 64:ff9b::/96 (NAT64) reaches the IPv4 address in its last 32 bits.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [.., high, low] = segments;
        let v4 = Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
        return is_forbidden_v4(v4);
    }
    ip.is_unspecified()                             // ::
        || ip.is_loopback()                         // ::1
        || (segments[0] & 0xfe00) == 0xfc00         // fc00::/7 unique local, fd00:ec2::254 included
        || (segments[0] & 0xffc0) == 0xfe80         // fe80::/10 link-local
        || (segments[0] & 0xffc0) == 0xfec0         // fec0::/10 site-local (deprecated)
        || ip.is_multicast()                        // ff00::/8
        || segments[..6] == [0, 0, 0, 0, 0, 0] // ::a.b.c.d (IPv4-compatible, deprecated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forbidden(text: &str) -> bool {
        is_forbidden(text.parse().expect("an address"))
    }

    #[test]
    fn unspecified_addresses_are_refused() {
        assert!(forbidden("0.0.0.0"));
        assert!(forbidden("0.1.2.3"));
        assert!(forbidden("::"));
    }

    #[test]
    fn loopback_is_refused() {
        assert!(forbidden("127.0.0.1"));
        assert!(forbidden("127.255.0.9"));
        assert!(forbidden("::1"));
        assert!(forbidden("::ffff:127.0.0.1"));
    }

    #[test]
    fn private_ranges_are_refused() {
        for ip in [
            "10.0.0.1",
            "10.255.255.255",
            "172.16.0.1",
            "172.31.255.1",
            "192.168.1.1",
        ] {
            assert!(forbidden(ip), "{ip}");
        }
        assert!(!forbidden("172.32.0.1"));
        assert!(!forbidden("11.0.0.1"));
    }

    #[test]
    fn shared_cgnat_space_is_refused() {
        assert!(forbidden("100.64.0.1"));
        assert!(forbidden("100.127.255.254"));
        assert!(!forbidden("100.128.0.1"));
        assert!(!forbidden("100.63.255.255"));
    }

    #[test]
    fn link_local_and_metadata_are_refused() {
        assert!(forbidden("169.254.169.254"));
        assert!(forbidden("169.254.0.1"));
        assert!(forbidden("fe80::1"));
        assert!(forbidden("fd00:ec2::254"));
    }

    #[test]
    fn unique_local_is_refused() {
        assert!(forbidden("fc00::1"));
        assert!(forbidden("fdff:ffff::1"));
    }

    #[test]
    fn multicast_broadcast_and_reserved_are_refused() {
        for ip in [
            "224.0.0.1",
            "239.1.1.1",
            "240.0.0.1",
            "255.255.255.255",
            "ff02::1",
        ] {
            assert!(forbidden(ip), "{ip}");
        }
    }

    #[test]
    fn ipv6_forms_embedding_a_private_ipv4_are_refused() {
        assert!(forbidden("::ffff:10.0.0.1"));
        assert!(forbidden("::ffff:169.254.169.254"));
        assert!(forbidden("64:ff9b::a9fe:a9fe")); // 169.254.169.254 via NAT64
        assert!(forbidden("::10.0.0.1"));
        assert!(!forbidden("64:ff9b::808:808")); // 8.8.8.8 via NAT64
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "2606:4700::1111",
            "2001:4860::8888",
        ] {
            assert!(!forbidden(ip), "{ip}");
        }
    }

    #[test]
    fn urls_must_be_https_without_credentials() {
        let deployed = TargetPolicy::DEPLOYED;
        assert!(parse_url("https://hooks.example.com/x", deployed).is_ok());
        for bad in [
            "http://hooks.example.com/x",
            "http://127.0.0.1:8000/x",
            "ftp://hooks.example.com",
            "https://user:pw@hooks.example.com",
            "not a url",
            "/relative",
        ] {
            assert!(parse_url(bad, deployed).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_local_stack_allows_http_to_loopback_only() {
        let local = TargetPolicy::LOCAL;
        assert!(parse_url("http://127.0.0.1:8250/hook", local).is_ok());
        assert!(parse_url("http://localhost:8250/hook", local).is_ok());
        assert!(parse_url("http://[::1]:8250/hook", local).is_ok());
        assert!(parse_url("http://hooks.example.com/x", local).is_err());
        assert!(parse_url("http://10.0.0.1/x", local).is_err());
    }

    #[tokio::test]
    async fn addresses_are_checked_after_resolution() {
        let url = |raw: &str| Url::parse(raw).expect("url");
        let metadata = resolve(
            &url("https://169.254.169.254/latest"),
            TargetPolicy::DEPLOYED,
        )
        .await;
        assert!(matches!(metadata, Err(TargetError::Forbidden(_))));
        let loopback = resolve(&url("https://127.0.0.1:9/"), TargetPolicy::DEPLOYED).await;
        assert!(matches!(loopback, Err(TargetError::Forbidden(_))));
        let localhost = resolve(&url("https://localhost:9/"), TargetPolicy::DEPLOYED).await;
        assert!(matches!(localhost, Err(TargetError::Forbidden(_))));
        let ipv6 = resolve(&url("https://[fd00:ec2::254]/"), TargetPolicy::DEPLOYED).await;
        assert!(matches!(ipv6, Err(TargetError::Forbidden(_))));

        let local = resolve(&url("http://127.0.0.1:8250/"), TargetPolicy::LOCAL).await;
        assert_eq!(local, Ok(vec!["127.0.0.1:8250".parse().expect("address")]));
        // The local flag opens loopback, not the rest of the private network.
        let private = resolve(&url("https://10.1.2.3/"), TargetPolicy::LOCAL).await;
        assert!(matches!(private, Err(TargetError::Forbidden(_))));
    }
}
