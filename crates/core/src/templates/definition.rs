//! A stored template read into what the composer needs: its parts, the fields the
//! owner fills in, and whether it can be sent at all.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::templates::TemplateRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum HeaderFormat {
    Text,
    Image,
    Video,
    Document,
    Location,
}

impl HeaderFormat {
    fn parse(text: &str) -> Option<HeaderFormat> {
        Some(match text.to_ascii_uppercase().as_str() {
            "TEXT" => HeaderFormat::Text,
            "IMAGE" => HeaderFormat::Image,
            "VIDEO" => HeaderFormat::Video,
            "DOCUMENT" => HeaderFormat::Document,
            "LOCATION" => HeaderFormat::Location,
            _ => return None,
        })
    }

    pub fn is_media(self) -> bool {
        matches!(
            self,
            HeaderFormat::Image | HeaderFormat::Video | HeaderFormat::Document
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TemplateHeader {
    pub format: HeaderFormat,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ButtonKind {
    QuickReply,
    Url,
    PhoneNumber,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TemplateButton {
    pub kind: ButtonKind,
    pub text: String,
    /// For a URL button; `{{1}}` marks the part the owner fills in.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum FieldPart {
    Header,
    Body,
    Button,
}

/// One value the owner fills in. `key` is how the value is passed back:
/// `header:1`, `body:guest_name`, `body:2`, `button:0` (the button's index).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TemplateField {
    pub key: String,
    pub part: FieldPart,
    /// The variable's name (`guest_name`, `1`) or the button's text.
    pub label: String,
    pub example: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub id: i64,
    pub name: String,
    pub language: String,
    pub category: Option<String>,
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`, …
    pub status: String,
    pub named_parameters: bool,
    pub header: Option<TemplateHeader>,
    pub body: String,
    pub footer: Option<String>,
    pub buttons: Vec<TemplateButton>,
    pub fields: Vec<TemplateField>,
    /// Why it cannot be sent from here, if it cannot.
    pub unsendable_reason: Option<String>,
}

/// Variable names in order of first appearance: `{{1}}` → "1", `{{ name }}` → "name".
pub fn variable_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (index, _) in text.match_indices("{{") {
        let rest = &text[index + 2..];
        if let Some(close) = rest.find("}}") {
            let name = rest[..close].trim();
            let well_formed =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if well_formed && !names.iter().any(|known| known == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// Replaces each `{{name}}` with its value; a variable without one stays as written.
pub fn fill_variables(text: &str, value_of: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after.find("}}") {
            Some(close) => {
                let name = after[..close].trim();
                match value_of(name) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&rest[open..open + 2 + close + 2]),
                }
                rest = &after[close + 2..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn component<'a>(components: &'a [Value], kind: &str) -> Option<&'a Value> {
    components.iter().find(|c| {
        c["type"]
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case(kind))
    })
}

/// Reads a stored template. Malformed parts are left out rather than failing the list.
pub fn read(row: &TemplateRow) -> Template {
    let components: Vec<Value> = serde_json::from_str(&row.components_json).unwrap_or_default();
    let named_parameters = row
        .parameter_format
        .as_deref()
        .is_some_and(|f| f.eq_ignore_ascii_case("NAMED"));
    let mut fields = Vec::new();
    let mut unsendable_reason = None;

    let header = component(&components, "HEADER").map(|h| TemplateHeader {
        format: h["format"]
            .as_str()
            .and_then(HeaderFormat::parse)
            .unwrap_or(HeaderFormat::Text),
        text: h["text"].as_str().map(str::to_string),
    });
    if let Some(header) = &header {
        if header.format == HeaderFormat::Location {
            unsendable_reason = Some("templates with a location header are not supported".into());
        }
        let examples = component(&components, "HEADER")
            .and_then(|h| h["example"]["header_text"].as_array().cloned())
            .unwrap_or_default();
        for (i, name) in variable_names(header.text.as_deref().unwrap_or_default())
            .into_iter()
            .enumerate()
        {
            fields.push(TemplateField {
                key: format!("header:{name}"),
                part: FieldPart::Header,
                example: examples.get(i).and_then(Value::as_str).map(str::to_string),
                label: name,
            });
        }
    }

    let body_component = component(&components, "BODY");
    let body = body_component
        .and_then(|b| b["text"].as_str())
        .unwrap_or_default()
        .to_string();
    for (i, name) in variable_names(&body).into_iter().enumerate() {
        let example = body_component.and_then(|b| {
            if named_parameters {
                b["example"]["body_text_named_params"]
                    .as_array()?
                    .iter()
                    .find(|p| p["param_name"].as_str() == Some(name.as_str()))?["example"]
                    .as_str()
                    .map(str::to_string)
            } else {
                b["example"]["body_text"][0][i].as_str().map(str::to_string)
            }
        });
        fields.push(TemplateField {
            key: format!("body:{name}"),
            part: FieldPart::Body,
            label: name,
            example,
        });
    }

    let footer = component(&components, "FOOTER")
        .and_then(|f| f["text"].as_str())
        .map(str::to_string);

    let raw_buttons = component(&components, "BUTTONS")
        .and_then(|b| b["buttons"].as_array().cloned())
        .unwrap_or_default();
    let buttons: Vec<TemplateButton> = raw_buttons
        .iter()
        .map(|b| TemplateButton {
            kind: match b["type"].as_str().unwrap_or_default() {
                "QUICK_REPLY" => ButtonKind::QuickReply,
                "URL" => ButtonKind::Url,
                "PHONE_NUMBER" => ButtonKind::PhoneNumber,
                _ => ButtonKind::Other,
            },
            text: b["text"].as_str().unwrap_or_default().to_string(),
            url: b["url"].as_str().map(str::to_string),
        })
        .collect();
    for (index, button) in buttons.iter().enumerate() {
        let dynamic = button.kind == ButtonKind::Url
            && !variable_names(button.url.as_deref().unwrap_or_default()).is_empty();
        if dynamic {
            fields.push(TemplateField {
                key: format!("button:{index}"),
                part: FieldPart::Button,
                label: button.text.clone(),
                example: raw_buttons[index]["example"][0]
                    .as_str()
                    .map(str::to_string),
            });
        }
    }

    if unsendable_reason.is_none() && !row.status.eq_ignore_ascii_case("APPROVED") {
        unsendable_reason = Some(format!(
            "this template is {}; only approved templates can be sent",
            row.status.to_ascii_lowercase()
        ));
    }
    Template {
        id: row.id,
        name: row.name.clone(),
        language: row.language.clone(),
        category: row.category.clone(),
        status: row.status.clone(),
        named_parameters,
        header,
        body,
        footer,
        buttons,
        fields,
        unsendable_reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_found_once_each_in_order() {
        assert_eq!(
            variable_names("Hi {{1}}, {{ 2 }} and {{1}} again; {{guest_name}} {{bad name}}"),
            vec!["1", "2", "guest_name"]
        );
    }

    #[test]
    fn filling_keeps_unknown_variables_as_written() {
        let filled = fill_variables("Hi {{name}}, order {{1}} {{", |name| {
            (name == "name").then(|| "Ana".to_string())
        });
        assert_eq!(filled, "Hi Ana, order {{1}} {{");
    }
}
