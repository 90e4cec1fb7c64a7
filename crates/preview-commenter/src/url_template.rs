//! Filling a URL template so that a value stays in the part of the URL where its placeholder
//! stands. The branch name is chosen by the PR's author: unencoded, `x@127.0.0.1/ok/#` in
//! `https://{branch}.example.dev` moved the health check to 127.0.0.1, and `a&admin=1#x` in
//! `?b={branch}` added a query parameter. So each value is percent-encoded for its position,
//! no PR-chosen text may form the host, and the rendered URL's host is checked against the host
//! the template's own text and safe values give.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::template::{Segment, Template};

/// Where in a URL a piece of template text lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlPosition {
    /// Before `://`.
    Scheme,
    /// User info, host and port: up to the first `/`, `?` or `#` after `://`.
    Authority,
    Path,
    Query,
    Fragment,
}

impl UrlPosition {
    /// The position after the literal character `c`.
    fn after(self, c: char, scheme_so_far: &str) -> UrlPosition {
        match (self, c) {
            (UrlPosition::Scheme, '/') if scheme_so_far.ends_with(":/") => UrlPosition::Authority,
            (UrlPosition::Scheme, _) => UrlPosition::Scheme,
            (UrlPosition::Authority, '/') => UrlPosition::Path,
            (UrlPosition::Authority | UrlPosition::Path, '?') => UrlPosition::Query,
            (UrlPosition::Fragment, _) | (_, '#') => UrlPosition::Fragment,
            (position, _) => position,
        }
    }
}

/// Unreserved characters (RFC 3986) stay; everything else in a value is encoded, so a value is
/// always exactly one path segment (a `/` in it is `%2F`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A query value may hold `/ : @ ?` as written (RFC 3986 allows them there), never `& = + #`.
const QUERY_VALUE: &AsciiSet = &PATH_SEGMENT
    .remove(b'/')
    .remove(b':')
    .remove(b'@')
    .remove(b'?');

/// The fragment is the URL's last part: only `#`, `%` and what is not printable need encoding,
/// but the query set serves and keeps one rule.
const FRAGMENT: &AsciiSet = QUERY_VALUE;

/// Placeholders whose values are never chosen freely by the PR's author and are safe in a host:
/// digits, hex, `branch_slug` (a DNS label by construction), and GitHub's owner and repository
/// names (letters, digits, `-`, `_`, `.`).
const HOST_SAFE: &[&str] = &["number", "sha", "short_sha", "branch_slug", "owner", "repo"];

/// A placeholder that may not stand in the scheme or host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HostPlaceholder {
    pub name: String,
}

/// Every placeholder of `template` (which starts at `start`) and where it lands.
pub(crate) fn positions(template: &Template, start: UrlPosition) -> Vec<(&str, UrlPosition)> {
    let mut found = Vec::new();
    walk(template, start, |segment, position| {
        if let Segment::Placeholder(name) = segment {
            found.push((name, position));
        }
    });
    found
}

/// The first placeholder that would let PR-chosen text form the scheme or host, if any.
pub(crate) fn host_placeholder(template: &Template, start: UrlPosition) -> Option<HostPlaceholder> {
    positions(template, start)
        .into_iter()
        .find(|(name, position)| {
            matches!(position, UrlPosition::Scheme | UrlPosition::Authority)
                && !HOST_SAFE.contains(name)
        })
        .map(|(name, _)| HostPlaceholder {
            name: name.to_owned(),
        })
}

/// What [`render`] gives: the URL text, and the text that stands in its authority (user info,
/// host, port) by the template's own structure, values included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RenderedUrl {
    pub text: String,
    pub authority: String,
}

impl RenderedUrl {
    /// The host the template meant, read from the authority text without URL parsing (which
    /// would read a `/`, `?`, `#` or `@` inside a value as the end of the host). `None` when
    /// that text cannot be a host at all.
    pub(crate) fn intended_host(&self) -> Option<url::Host> {
        let host_and_port = self
            .authority
            .rsplit_once('@')
            .map_or(self.authority.as_str(), |(_, host)| host);
        let host = if let Some(rest) = host_and_port.strip_prefix('[') {
            // An IPv6 literal, with an optional port after the bracket.
            let (inner, tail) = rest.split_once(']')?;
            let port_ok = tail.is_empty()
                || tail
                    .strip_prefix(':')
                    .is_some_and(|port| port.chars().all(|c| c.is_ascii_digit()));
            if !port_ok {
                return None;
            }
            &host_and_port[..inner.len() + 2]
        } else {
            match host_and_port.rsplit_once(':') {
                Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
                Some(_) => return None,
                None => host_and_port,
            }
        };
        if host.is_empty() || host.contains(['/', '?', '#', '@', '\\', ' ']) {
            return None;
        }
        url::Host::parse(host).ok()
    }
}

/// Fills `template`, encoding each value for its position. Values in the scheme or host are put
/// in as they are: [`host_placeholder`] admits only safe ones there, and the caller compares the
/// parsed host with `origin`'s.
pub(crate) fn render(
    template: &Template,
    start: UrlPosition,
    mut value: impl FnMut(&str) -> String,
) -> RenderedUrl {
    let mut text = String::new();
    let mut authority = String::new();
    walk(template, start, |segment, position| {
        let piece = match segment {
            Segment::Literal(literal) => literal.to_owned(),
            Segment::Placeholder(name) => {
                let raw = value(name);
                match position {
                    UrlPosition::Scheme | UrlPosition::Authority => raw,
                    UrlPosition::Path => utf8_percent_encode(&raw, PATH_SEGMENT).to_string(),
                    UrlPosition::Query => utf8_percent_encode(&raw, QUERY_VALUE).to_string(),
                    UrlPosition::Fragment => utf8_percent_encode(&raw, FRAGMENT).to_string(),
                }
            }
        };
        if position == UrlPosition::Authority {
            authority.push_str(&piece);
        }
        text.push_str(&piece);
    });
    RenderedUrl { text, authority }
}

/// Calls `visit` for every literal character run and placeholder with the position it starts in.
/// A literal is split where the position changes, so each piece has one position.
fn walk<'t>(
    template: &'t Template,
    start: UrlPosition,
    mut visit: impl FnMut(Segment<'t>, UrlPosition),
) {
    let mut position = start;
    let mut scheme = String::new();
    for segment in template.segments() {
        match segment {
            Segment::Placeholder(_) => {
                if position == UrlPosition::Scheme {
                    scheme.push('\u{0}');
                }
                visit(segment, position);
            }
            Segment::Literal(literal) => {
                let mut piece_start = 0;
                let mut piece_position = position;
                for (at, c) in literal.char_indices() {
                    let mut before = position;
                    position = position.after(c, &scheme);
                    if before == UrlPosition::Scheme {
                        scheme.push(c);
                    }
                    // The `/`, `?` or `#` that ends the authority belongs to what follows.
                    if before == UrlPosition::Authority {
                        before = position;
                    }
                    if before != piece_position {
                        visit(Segment::Literal(&literal[piece_start..at]), piece_position);
                        piece_start = at;
                        piece_position = before;
                    }
                }
                if piece_start < literal.len() {
                    visit(Segment::Literal(&literal[piece_start..]), piece_position);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environments::URL_PLACEHOLDERS;

    fn template(text: &str) -> Template {
        Template::parse(text, URL_PLACEHOLDERS).expect("valid template")
    }

    fn fill(text: &str, branch: &str) -> RenderedUrl {
        render(&template(text), UrlPosition::Scheme, |name| match name {
            "branch" => branch.to_owned(),
            "number" => "42".to_owned(),
            other => other.to_owned(),
        })
    }

    #[test]
    fn placeholders_are_placed_by_the_literal_text_before_them() {
        let t = template("https://pr-{number}.dev/{branch}/x?b={branch}&n={number}#{branch}");
        assert_eq!(
            positions(&t, UrlPosition::Scheme),
            [
                ("number", UrlPosition::Authority),
                ("branch", UrlPosition::Path),
                ("branch", UrlPosition::Query),
                ("number", UrlPosition::Query),
                ("branch", UrlPosition::Fragment),
            ]
        );
        let health = template("/health/{branch}?v={number}");
        assert_eq!(
            positions(&health, UrlPosition::Path),
            [
                ("branch", UrlPosition::Path),
                ("number", UrlPosition::Query)
            ]
        );
    }

    #[test]
    fn the_branch_may_not_form_a_host_but_its_slug_may() {
        let hostile = template("https://{branch}.example.dev");
        assert_eq!(
            host_placeholder(&hostile, UrlPosition::Scheme),
            Some(HostPlaceholder {
                name: "branch".into()
            })
        );
        assert_eq!(
            host_placeholder(&template("{branch}://x.dev"), UrlPosition::Scheme).map(|p| p.name),
            Some("branch".into())
        );
        let slug = template("https://{branch_slug}--{owner}.example.dev/{branch}");
        assert_eq!(host_placeholder(&slug, UrlPosition::Scheme), None);
    }

    #[test]
    fn values_are_encoded_for_their_position() {
        let url = fill(
            "https://pr-{number}.dev/b/{branch}?b={branch}#{branch}",
            "x@127.0.0.1/ok/#",
        );
        assert_eq!(
            url.text,
            "https://pr-42.dev/b/x%40127.0.0.1%2Fok%2F%23?b=x@127.0.0.1/ok/%23#x@127.0.0.1/ok/%23"
        );
        assert_eq!(url.authority, "pr-42.dev");
        let query = fill("https://h.dev/?b={branch}&keep=1", "a&admin=1#x");
        assert_eq!(query.text, "https://h.dev/?b=a%26admin%3D1%23x&keep=1");
    }

    #[test]
    fn the_intended_host_is_read_from_the_authority_text() {
        let host = |text: &str, branch: &str| fill(text, branch).intended_host();
        let domain = |name: &str| Some(url::Host::Domain(name.to_owned()));
        assert_eq!(host("https://h.dev:8080/x", "b"), domain("h.dev"));
        assert_eq!(host("https://h.dev?x={branch}", "b"), domain("h.dev"));
        assert_eq!(host("http://u@h.dev#f", "b"), domain("h.dev"));
        assert_eq!(
            host("http://[::1]:8080/", "b"),
            Some(url::Host::Ipv6(std::net::Ipv6Addr::LOCALHOST))
        );
        // A value holding a delimiter is no host at all, even though URL parsing finds one.
        assert_eq!(
            host("https://{branch_slug}.dev", "x"),
            domain("branch_slug.dev")
        );
        let hostile = render(
            &template("https://{owner}.dev"),
            UrlPosition::Scheme,
            |_| "evil.test/x?".to_owned(),
        );
        assert_eq!(hostile.authority, "evil.test/x?.dev");
        assert_eq!(hostile.intended_host(), None);
    }
}
