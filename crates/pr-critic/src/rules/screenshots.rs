//! The screenshots section is required when UI code changed, and must then hold an image, a
//! video, or a link to one.

use crate::finding::{Finding, RuleId, Status};
use crate::markdown::Section;
use crate::rules::Inputs;
use crate::rules::fill::assess;
use crate::rules::sections::check_as;
use crate::sections::SectionSpec;
use crate::text::code;

const MEDIA_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp", "mp4", "mov", "webm", "m4v", "ogv",
];

/// Whether a URL points at an image or a video: by its file extension, or by a host that serves
/// media (`media_hosts`, e.g. `github.com/user-attachments` for drag-and-dropped files).
pub(crate) fn is_media_url(url: &str, media_hosts: &[String]) -> bool {
    let lower = url.to_lowercase();
    let without_query = lower.split(['?', '#']).next().unwrap_or("");
    if MEDIA_EXTENSIONS.iter().any(|extension| {
        without_query
            .rsplit_once('.')
            .is_some_and(|(_, found)| found == *extension)
    }) {
        return true;
    }
    let Some(rest) = without_query
        .strip_prefix("https://")
        .or_else(|| without_query.strip_prefix("http://"))
    else {
        return false;
    };
    media_hosts.iter().any(|host| {
        rest.strip_prefix(host.as_str())
            .is_some_and(|after| after.is_empty() || after.starts_with('/'))
            || rest
                .split_once('/')
                .map_or(rest, |(authority, _)| authority)
                .ends_with(&format!(".{host}"))
    })
}

/// Whether a section shows something: an embedded image or video, or a link to one.
pub(crate) fn has_media(section: Section<'_>, media_hosts: &[String]) -> bool {
    section.media().next().is_some() || section.links().any(|url| is_media_url(url, media_hosts))
}

pub(crate) fn check(inputs: &Inputs<'_>, spec: &SectionSpec<'_>) -> Finding {
    let finding = check_as(RuleId::Screenshots, inputs, spec);
    if finding.status != Status::Passed {
        return with_media_hint(finding);
    }
    let assessed = assess(inputs, spec);
    let shows = assessed
        .section
        .is_some_and(|section| has_media(section, &inputs.policy.screenshots.media_hosts));
    if shows {
        return Finding {
            message: finding.message.replacen("filled in", "shows the change", 1),
            ..finding
        };
    }
    Finding::error(
        RuleId::Screenshots,
        &spec.heading,
        finding
            .message
            .replacen("filled in", "no image, video or link to one", 1),
        format!(
            "Drag a screenshot or screen recording into {}, or link to one (e.g. {}).",
            spec.quoted(),
            code("![after](https://…/after.png)")
        ),
    )
    .with_files(finding.files)
}

fn with_media_hint(mut finding: Finding) -> Finding {
    if let Some(fix) = &mut finding.fix {
        fix.push_str(" Include a screenshot or screen recording of the UI change.");
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> Vec<String> {
        vec![
            "github.com/user-attachments".to_owned(),
            "loom.com".to_owned(),
        ]
    }

    #[test]
    fn media_urls_by_extension_or_host() {
        assert!(is_media_url(
            "https://example.com/a/After.PNG?raw=1",
            &hosts()
        ));
        assert!(is_media_url("https://example.com/demo.mp4", &hosts()));
        assert!(is_media_url(
            "https://github.com/user-attachments/assets/0b1c",
            &hosts()
        ));
        assert!(is_media_url("https://www.loom.com/share/abc", &hosts()));
        assert!(!is_media_url("https://example.com/docs/page", &hosts()));
        assert!(!is_media_url(
            "https://github.com/owner/repo/pull/1",
            &hosts()
        ));
        assert!(!is_media_url("https://evil-loom.com/x", &hosts()));
    }
}
