use serde_json::error::Category;

/// A payload that does not fit its event: names the event, the field and what to check.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.render())]
pub struct EventError {
    event_name: String,
    problem: Problem,
}

#[derive(Debug)]
enum Problem {
    /// Not parseable as JSON at all.
    Syntax(serde_json::Error),
    /// Valid JSON, but not an object.
    NotAnObject(&'static str),
    /// An object whose field at this dotted path is missing or of the wrong type.
    Field {
        path: String,
        error: serde_json::Error,
    },
}

impl EventError {
    pub(crate) fn from_path_error(
        event_name: &str,
        error: serde_path_to_error::Error<serde_json::Error>,
    ) -> EventError {
        let path = error.path().to_string();
        let error = error.into_inner();
        let problem = match error.classify() {
            Category::Data => Problem::Field { path, error },
            Category::Io | Category::Syntax | Category::Eof => Problem::Syntax(error),
        };
        EventError {
            event_name: event_name.to_owned(),
            problem,
        }
    }

    pub(crate) fn from_json_error(event_name: &str, error: serde_json::Error) -> EventError {
        EventError {
            event_name: event_name.to_owned(),
            problem: Problem::Syntax(error),
        }
    }

    pub(crate) fn not_an_object(event_name: &str, kind: &'static str) -> EventError {
        EventError {
            event_name: event_name.to_owned(),
            problem: Problem::NotAnObject(kind),
        }
    }

    /// The event name the payload was read as.
    pub fn event_name(&self) -> &str {
        &self.event_name
    }

    /// Dotted path of the field that did not fit (`"."` for the payload itself), `None` when
    /// the payload is not a JSON object at all.
    pub fn field(&self) -> Option<&str> {
        match &self.problem {
            Problem::Field { path, .. } => Some(path),
            Problem::Syntax(_) | Problem::NotAnObject(_) => None,
        }
    }

    fn render(&self) -> String {
        let event = &self.event_name;
        match &self.problem {
            Problem::Syntax(error) => format!(
                "the `{event}` event payload is not valid JSON ({error}); check that the file is \
                 a complete webhook payload, not truncated or wrapped in anything else"
            ),
            Problem::NotAnObject(kind) => format!(
                "the `{event}` event payload is {kind}, not a JSON object; check that the file \
                 is the webhook payload itself (GITHUB_EVENT_PATH or --event)"
            ),
            Problem::Field { path, error } => {
                let hint = "check that the event name (GITHUB_EVENT_NAME or --event-name) \
                            matches the payload";
                if let Some(missing) = missing_field_name(error) {
                    // serde reports a missing field at its parent; name the field itself.
                    let full = if path == "." {
                        missing
                    } else {
                        format!("{path}.{missing}")
                    };
                    return format!(
                        "the `{event}` event payload has no field `{full}` (line {} column {}); \
                         {hint}",
                        error.line(),
                        error.column()
                    );
                }
                let place = if path == "." {
                    "the payload itself".to_owned()
                } else {
                    format!("field `{path}`")
                };
                format!("the `{event}` event payload does not fit at {place}: {error}; {hint}")
            }
        }
    }
}

/// The field name of serde's "missing field `name`" error.
fn missing_field_name(error: &serde_json::Error) -> Option<String> {
    let message = error.to_string();
    let rest = message.strip_prefix("missing field `")?;
    let end = rest.find('`')?;
    Some(rest[..end].to_owned())
}
