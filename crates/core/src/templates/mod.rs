//! Templates: imported from the WABA with paging, stored with their definition, and
//! sent with values checked against that definition before Meta sees them.

mod definition;
mod header_file;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tracing::instrument;

pub use definition::{
    ButtonKind, FieldPart, HeaderFormat, Template, TemplateButton, TemplateField, TemplateHeader,
    fill_variables, variable_names,
};
pub use header_file::HeaderFileToUpload;

use crate::core::Core;
use crate::db::{self, templates as stored};
use crate::error::CoreError;
use crate::graph::GraphError;
use crate::graph::types::{
    ButtonSubType, MediaReference, OutgoingContent, TemplateBody, TemplateComponent,
    TemplateLanguage, TemplateParameter,
};
use crate::send::{OwnerMessage, QueuedMessage, SendError};

/// Pages read at most in one import: 250 templates per WABA fit in three.
const MAX_PAGES: usize = 50;
/// Meta's limit on a header text value.
const HEADER_VALUE_MAX: usize = 60;
/// Meta's limit on a body parameter value.
const BODY_VALUE_MAX: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("no WhatsApp Business Account id is set, so templates cannot be imported")]
    NoWaba,
    #[error("importing templates failed: {0}")]
    Graph(#[from] GraphError),
}

impl From<TemplateError> for CoreError {
    fn from(error: TemplateError) -> Self {
        match error {
            TemplateError::NoWaba => CoreError::InvalidInput(error.to_string()),
            TemplateError::Graph(_) => CoreError::Internal(error.to_string()),
        }
    }
}

/// The owner's values for a template's fields, by field key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TemplateValues {
    pub values: BTreeMap<String, String>,
    /// The picture, video or document of a media header: an uploaded media id or a link.
    pub header_media: Option<HeaderMedia>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HeaderMedia {
    pub media_id: Option<String>,
    pub link: Option<String>,
    pub filename: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TemplateToSend {
    pub conversation_id: i64,
    pub idempotency_key: String,
    pub template_id: i64,
    pub values: TemplateValues,
}

impl Core {
    /// Reads every template of the WABA, page by page, and stores them with their
    /// definitions (templates deleted on Meta disappear here too). Returns how many.
    #[instrument(skip(self))]
    pub async fn import_templates(&self) -> Result<usize, CoreError> {
        let waba_id = self.config().waba_id.clone().ok_or(TemplateError::NoWaba)?;
        let mut found = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page = self
                .graph()
                .message_templates(&waba_id, after.as_deref())
                .await
                .map_err(TemplateError::from)?;
            found.extend(page.data.into_iter().map(|t| stored::NewTemplate {
                meta_template_id: t.id,
                name: t.name,
                language: t.language,
                category: t.category,
                status: t.status,
                parameter_format: t.parameter_format,
                components_json: t.components.to_string(),
            }));
            let paging = page.paging;
            let has_next = paging.as_ref().is_some_and(|p| p.next.is_some());
            after = paging.and_then(|p| p.cursors).and_then(|c| c.after);
            if !has_next || after.is_none() {
                break;
            }
        }
        let now = db::now_secs();
        Ok(self
            .database()
            .write(move |conn| stored::replace_for_waba(conn, &waba_id, &found, now))
            .await?)
    }

    /// Every stored template with its fields; the composer offers the sendable ones.
    pub async fn list_templates(&self) -> Result<Vec<Template>, CoreError> {
        let rows = self.database().read(stored::list).await?;
        Ok(rows.iter().map(definition::read).collect())
    }

    /// Sends a template (allowed outside the 24-hour window) after checking every
    /// value against its definition.
    #[instrument(skip(self, send), fields(conversation_id = send.conversation_id, template_id = send.template_id))]
    pub async fn send_template(&self, send: TemplateToSend) -> Result<QueuedMessage, CoreError> {
        let template_id = send.template_id;
        let row = self
            .database()
            .read(move |conn| stored::get(conn, template_id))
            .await?
            .ok_or_else(|| SendError::NotFound(format!("template {template_id}")))?;
        let template = definition::read(&row);
        let body = build(&template, &send.values).map_err(SendError::Invalid)?;
        let details = serde_json::json!({
            "template": {"name": template.name, "language": template.language},
            "header": template.header.as_ref().map(|h| match h.format {
                HeaderFormat::Text => serde_json::json!({"text": render(h.text.as_deref().unwrap_or_default(), "header", &send.values)}),
                _ => serde_json::json!({"media": h.format}),
            }),
            "footer": template.footer,
            "buttons": template.buttons.iter().map(|b| &b.text).collect::<Vec<_>>(),
        });
        let message = OwnerMessage {
            kind: "template",
            body: Some(render(&template.body, "body", &send.values)),
            details_json: Some(details.to_string()),
            reply_to_wamid: None,
            needs_open_window: false,
        };
        self.queue(
            send.conversation_id,
            send.idempotency_key,
            message,
            OutgoingContent::Template { template: body },
        )
        .await
    }
}

/// The template's text with the owner's values in place.
pub fn render(text: &str, part: &str, values: &TemplateValues) -> String {
    fill_variables(text, |name| {
        values.values.get(&format!("{part}:{name}")).cloned()
    })
}

/// Builds Meta's `template` object, or says (in one sentence per problem) what is
/// missing or malformed.
pub fn build(template: &Template, values: &TemplateValues) -> Result<TemplateBody, String> {
    if let Some(reason) = &template.unsendable_reason {
        return Err(reason.clone());
    }
    let mut problems = Vec::new();
    for key in values.values.keys() {
        if !template.fields.iter().any(|f| &f.key == key) {
            problems.push(format!("this template has no field {key}"));
        }
    }
    let value_of = |field: &TemplateField, problems: &mut Vec<String>| -> String {
        let value = values
            .values
            .get(&field.key)
            .map(|v| v.trim().to_string())
            .unwrap_or_default();
        if value.is_empty() {
            let part = match field.part {
                FieldPart::Header => "header",
                FieldPart::Body => "body",
                FieldPart::Button => "button",
            };
            problems.push(format!("fill in the {part} value “{}”", field.label));
        } else if let Some(problem) = value_problem(field, &value) {
            problems.push(problem);
        }
        value
    };

    let mut components = Vec::new();
    let mut header_parameters = Vec::new();
    let mut body_parameters = Vec::new();
    let mut button_components = Vec::new();
    for field in &template.fields {
        let value = value_of(field, &mut problems);
        match field.part {
            FieldPart::Header => header_parameters.push(TemplateParameter::Text {
                text: value,
                parameter_name: template.named_parameters.then(|| field.label.clone()),
            }),
            FieldPart::Body => body_parameters.push(TemplateParameter::Text {
                text: value,
                parameter_name: template.named_parameters.then(|| field.label.clone()),
            }),
            FieldPart::Button => {
                let index = field.key["button:".len()..].parse().unwrap_or(0);
                button_components.push(TemplateComponent::Button {
                    sub_type: ButtonSubType::Url,
                    index,
                    parameters: vec![TemplateParameter::Text {
                        text: value,
                        parameter_name: None,
                    }],
                });
            }
        }
    }
    if let Some(header) = &template.header
        && header.format.is_media()
    {
        match media_parameter(header.format, values.header_media.as_ref()) {
            Ok(parameter) => header_parameters.push(parameter),
            Err(problem) => problems.push(problem),
        }
    }
    // Quick replies carry their own text as payload, so the customer's tap is readable.
    for (index, button) in template.buttons.iter().enumerate() {
        if button.kind == ButtonKind::QuickReply {
            button_components.push(TemplateComponent::Button {
                sub_type: ButtonSubType::QuickReply,
                index: index as u32,
                parameters: vec![TemplateParameter::Payload {
                    payload: button.text.clone(),
                }],
            });
        }
    }
    if !problems.is_empty() {
        return Err(capitalized(&problems.join("; ")));
    }
    if !header_parameters.is_empty() {
        components.push(TemplateComponent::Header {
            parameters: header_parameters,
        });
    }
    if !body_parameters.is_empty() {
        components.push(TemplateComponent::Body {
            parameters: body_parameters,
        });
    }
    components.extend(button_components);
    Ok(TemplateBody {
        name: template.name.clone(),
        language: TemplateLanguage {
            code: template.language.clone(),
        },
        components,
    })
}

/// Meta's formatting rules for a value, checked before sending.
fn value_problem(field: &TemplateField, value: &str) -> Option<String> {
    let label = &field.label;
    match field.part {
        FieldPart::Button => value
            .contains(char::is_whitespace)
            .then(|| format!("“{label}” goes into a link and cannot contain spaces")),
        FieldPart::Header if value.chars().count() > HEADER_VALUE_MAX => Some(format!(
            "“{label}” is longer than {HEADER_VALUE_MAX} characters"
        )),
        FieldPart::Header | FieldPart::Body => {
            if value.chars().count() > BODY_VALUE_MAX {
                Some(format!(
                    "“{label}” is longer than {BODY_VALUE_MAX} characters"
                ))
            } else if value.contains(['\n', '\t']) || value.contains("     ") {
                Some(format!(
                    "“{label}” cannot contain line breaks, tabs or more than four spaces in a row"
                ))
            } else {
                None
            }
        }
    }
}

fn media_parameter(
    format: HeaderFormat,
    media: Option<&HeaderMedia>,
) -> Result<TemplateParameter, String> {
    let noun = match format {
        HeaderFormat::Image => "picture",
        HeaderFormat::Video => "video",
        _ => "document",
    };
    let media = media.ok_or_else(|| format!("choose the header {noun}"))?;
    let id = media.media_id.clone().filter(|id| !id.trim().is_empty());
    let link = media.link.clone().filter(|link| !link.trim().is_empty());
    if id.is_none() && link.is_none() {
        return Err(format!("choose the header {noun}"));
    }
    if let Some(link) = &link
        && !(link.starts_with("https://") || link.starts_with("http://"))
    {
        return Err(format!("the header {noun} link must start with https://"));
    }
    let reference = MediaReference {
        id,
        link,
        filename: (format == HeaderFormat::Document)
            .then(|| media.filename.clone())
            .flatten(),
    };
    Ok(match format {
        HeaderFormat::Image => TemplateParameter::Image { image: reference },
        HeaderFormat::Video => TemplateParameter::Video { video: reference },
        _ => TemplateParameter::Document {
            document: reference,
        },
    })
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
