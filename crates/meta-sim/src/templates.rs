//! The seeded message templates and the validation of template sends against them.

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::GraphError;

/// How body variables are written: `{{1}}` or `{{name}}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParameterFormat {
    Positional,
    Named,
}

/// A message template as stored on the WABA.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub id: String,
    pub name: String,
    pub language: String,
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`.
    pub status: String,
    pub category: String,
    pub parameter_format: ParameterFormat,
    /// The components in Meta's list format (`HEADER`, `BODY`, `FOOTER`, `BUTTONS`).
    pub components: Value,
}

impl Template {
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "parameter_format": self.parameter_format,
            "components": self.components,
            "language": self.language,
            "status": self.status,
            "category": self.category,
            "id": self.id,
        })
    }

    fn component(&self, kind: &str) -> Option<&Value> {
        self.components
            .as_array()?
            .iter()
            .find(|component| component["type"].as_str() == Some(kind))
    }

    fn buttons(&self) -> Vec<Value> {
        self.component("BUTTONS")
            .and_then(|component| component["buttons"].as_array().cloned())
            .unwrap_or_default()
    }
}

/// Placeholders in a template text, in order of first appearance (`{{1}}` → "1").
pub fn template_variables(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim().to_owned();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
        rest = &after[end + 2..];
    }
    found
}

/// The templates every simulator starts with: one of each component kind, in several
/// languages, with approved, pending, rejected, paused and disabled ones.
pub fn seeded_templates() -> Vec<Template> {
    let mut next_id = 1_024_886_321_470_001u64;
    let mut template = |name: &str,
                        language: &str,
                        status: &str,
                        category: &str,
                        format: ParameterFormat,
                        components: Value| {
        next_id += 7;
        Template {
            id: next_id.to_string(),
            name: name.to_owned(),
            language: language.to_owned(),
            status: status.to_owned(),
            category: category.to_owned(),
            parameter_format: format,
            components,
        }
    };
    use ParameterFormat::{Named, Positional};
    vec![
        template(
            "hello_world",
            "en_US",
            "APPROVED",
            "UTILITY",
            Positional,
            json!([
                {"type": "HEADER", "format": "TEXT", "text": "Hello World"},
                {"type": "BODY", "text": "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API."},
                {"type": "FOOTER", "text": "WhatsApp Business Platform sample message"}
            ]),
        ),
        template(
            "table_booking_confirmed",
            "en_US",
            "APPROVED",
            "UTILITY",
            Named,
            json!([
                {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["https://scontent.example/booking.jpg"]}},
                {"type": "BODY", "text": "Hi {{guest_name}}, your table for {{party_size}} on {{date}} at {{time}} is confirmed.",
                 "example": {"body_text_named_params": [
                    {"param_name": "guest_name", "example": "Maria"},
                    {"param_name": "party_size", "example": "4"},
                    {"param_name": "date", "example": "Saturday 30 August"},
                    {"param_name": "time", "example": "7:30 pm"}]}},
                {"type": "FOOTER", "text": "Reply STOP to opt out"},
                {"type": "BUTTONS", "buttons": [
                    {"type": "URL", "text": "Manage booking", "url": "https://shop.example/bookings"},
                    {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550783881"},
                    {"type": "QUICK_REPLY", "text": "Cancel booking"}]}
            ]),
        ),
        template(
            "order_shipped",
            "en_US",
            "APPROVED",
            "UTILITY",
            Positional,
            json!([
                {"type": "HEADER", "format": "TEXT", "text": "Order {{1}} is on its way", "example": {"header_text": ["#4521"]}},
                {"type": "BODY", "text": "Hello {{1}}, your order will arrive on {{2}}. Track it with the button below.",
                 "example": {"body_text": [["Ana", "Friday"]]}},
                {"type": "BUTTONS", "buttons": [
                    {"type": "URL", "text": "Track order", "url": "https://shop.example/track/{{1}}", "example": ["https://shop.example/track/4521"]}]}
            ]),
        ),
        template(
            "order_shipped",
            "es_MX",
            "APPROVED",
            "UTILITY",
            Positional,
            json!([
                {"type": "HEADER", "format": "TEXT", "text": "El pedido {{1}} va en camino", "example": {"header_text": ["#4521"]}},
                {"type": "BODY", "text": "Hola {{1}}, tu pedido llegará el {{2}}.", "example": {"body_text": [["Ana", "viernes"]]}},
                {"type": "BUTTONS", "buttons": [
                    {"type": "URL", "text": "Rastrear", "url": "https://shop.example/track/{{1}}", "example": ["https://shop.example/track/4521"]}]}
            ]),
        ),
        template(
            "invoice_available",
            "pt_BR",
            "APPROVED",
            "UTILITY",
            Positional,
            json!([
                {"type": "HEADER", "format": "DOCUMENT", "example": {"header_handle": ["https://scontent.example/invoice.pdf"]}},
                {"type": "BODY", "text": "Olá {{1}}, sua fatura de {{2}} está disponível.", "example": {"body_text": [["João", "R$ 120,00"]]}},
                {"type": "FOOTER", "text": "Obrigado pela preferência"}
            ]),
        ),
        template(
            "new_collection",
            "en_US",
            "APPROVED",
            "MARKETING",
            Positional,
            json!([
                {"type": "HEADER", "format": "VIDEO", "example": {"header_handle": ["https://scontent.example/collection.mp4"]}},
                {"type": "BODY", "text": "Our autumn collection is here. Take a look!"},
                {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "Show me more"},
                    {"type": "QUICK_REPLY", "text": "Not interested"}]}
            ]),
        ),
        template(
            "appointment_reminder",
            "en_US",
            "APPROVED",
            "UTILITY",
            Named,
            json!([
                {"type": "BODY", "text": "Hi {{customer_name}}, this is a reminder of your appointment at {{time}}.",
                 "example": {"body_text_named_params": [
                    {"param_name": "customer_name", "example": "Li"},
                    {"param_name": "time", "example": "10:00"}]}},
                {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "Confirm"},
                    {"type": "QUICK_REPLY", "text": "Reschedule"}]}
            ]),
        ),
        template(
            "summer_sale",
            "en_US",
            "PENDING",
            "MARKETING",
            Positional,
            json!([
                {"type": "BODY", "text": "Summer sale: {{1}} off everything!", "example": {"body_text": [["20%"]]}}
            ]),
        ),
        template(
            "free_crypto",
            "en_US",
            "REJECTED",
            "MARKETING",
            Positional,
            json!([
                {"type": "BODY", "text": "Claim your free coins now"}
            ]),
        ),
        template(
            "flash_offer",
            "en_US",
            "PAUSED",
            "MARKETING",
            Positional,
            json!([
                {"type": "BODY", "text": "Flash offer for today only"}
            ]),
        ),
        template(
            "legacy_notice",
            "en_US",
            "DISABLED",
            "UTILITY",
            Positional,
            json!([
                {"type": "BODY", "text": "Our opening hours have changed"}
            ]),
        ),
    ]
}

/// Checks a `template` object of a send request against the stored templates.
pub fn validate_template_send(templates: &[Template], request: &Value) -> Result<(), GraphError> {
    let name = request["name"].as_str().ok_or_else(|| {
        GraphError::from_code(131008)
            .with_details("Parameter 'name' is required for template messages.")
    })?;
    let language = request["language"]["code"].as_str().ok_or_else(|| {
        GraphError::from_code(131008)
            .with_details("Parameter 'language.code' is required for template messages.")
    })?;
    let template = templates
        .iter()
        .find(|template| template.name == name && template.language == language)
        .ok_or_else(|| {
            GraphError::from_code(132001).with_details(format!(
                "template name ({name}) does not exist in {language}"
            ))
        })?;
    match template.status.as_str() {
        "APPROVED" => {}
        "PAUSED" => return Err(GraphError::from_code(132015)),
        "DISABLED" => return Err(GraphError::from_code(132016)),
        other => {
            return Err(GraphError::from_code(132001).with_details(format!(
                "template name ({name}) in {language} is {other}, not approved"
            )));
        }
    }
    let empty = Vec::new();
    let components = request["components"].as_array().unwrap_or(&empty);
    let sent = |kind: &str| -> Vec<&Value> {
        components
            .iter()
            .filter(|component| {
                component["type"]
                    .as_str()
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                    == Some(kind)
            })
            .collect()
    };
    validate_header(template, &sent("header"))?;
    validate_body(template, &sent("body"))?;
    validate_buttons(template, &sent("button"))
}

fn parameters<'a>(components: &[&'a Value]) -> Vec<&'a Value> {
    components
        .iter()
        .filter_map(|component| component["parameters"].as_array())
        .flatten()
        .collect()
}

fn count_mismatch(part: &str, expected: usize, got: usize) -> GraphError {
    GraphError::from_code(132000).with_details(format!(
        "number of localizable_params ({got}) does not match the expected number of params ({expected}) in {part}"
    ))
}

fn format_mismatch(details: String) -> GraphError {
    GraphError::from_code(132012).with_details(details)
}

fn validate_header(template: &Template, sent: &[&Value]) -> Result<(), GraphError> {
    let params = parameters(sent);
    let Some(header) = template.component("HEADER") else {
        return if params.is_empty() {
            Ok(())
        } else {
            Err(count_mismatch("header", 0, params.len()))
        };
    };
    let format = header["format"]
        .as_str()
        .unwrap_or("TEXT")
        .to_ascii_lowercase();
    if format == "text" {
        let expected = template_variables(header["text"].as_str().unwrap_or_default()).len();
        if params.len() != expected {
            return Err(count_mismatch("header", expected, params.len()));
        }
        return params
            .iter()
            .try_for_each(|param| check_text_param(param, "header"));
    }
    if params.len() != 1 {
        return Err(count_mismatch("header", 1, params.len()));
    }
    let param = params[0];
    let kind = param["type"].as_str().unwrap_or_default();
    if kind != format {
        return Err(format_mismatch(format!(
            "header: expected a {format} parameter, got {kind}"
        )));
    }
    let media = &param[kind];
    if media["id"].as_str().is_none() && media["link"].as_str().is_none() {
        return Err(GraphError::from_code(131008)
            .with_details(format!("header {format} needs an id or a link")));
    }
    Ok(())
}

fn check_text_param(param: &Value, part: &str) -> Result<(), GraphError> {
    match param["type"].as_str() {
        Some("text") => match param["text"].as_str() {
            Some(text) if !text.trim().is_empty() => Ok(()),
            _ => Err(GraphError::from_code(131008).with_details(format!(
                "{part}: parameter of type text is missing its text value"
            ))),
        },
        Some("currency" | "date_time") => Ok(()),
        other => Err(format_mismatch(format!(
            "{part}: parameter type {} is not allowed here",
            other.unwrap_or("(none)")
        ))),
    }
}

fn validate_body(template: &Template, sent: &[&Value]) -> Result<(), GraphError> {
    let params = parameters(sent);
    let text = template
        .component("BODY")
        .and_then(|body| body["text"].as_str())
        .unwrap_or_default();
    let expected = template_variables(text);
    if params.len() != expected.len() {
        return Err(count_mismatch("body", expected.len(), params.len()));
    }
    for param in &params {
        check_text_param(param, "body")?;
        let name = param["parameter_name"].as_str();
        match (template.parameter_format, name) {
            (ParameterFormat::Named, None) => {
                return Err(format_mismatch(
                    "body: this template uses named parameters; parameter_name is required"
                        .to_owned(),
                ));
            }
            (ParameterFormat::Named, Some(name)) if !expected.iter().any(|known| known == name) => {
                return Err(format_mismatch(format!(
                    "body: unknown parameter_name {name}"
                )));
            }
            (ParameterFormat::Positional, Some(name)) => {
                return Err(format_mismatch(format!(
                    "body: this template uses positional parameters; unexpected parameter_name {name}"
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

fn validate_buttons(template: &Template, sent: &[&Value]) -> Result<(), GraphError> {
    let buttons = template.buttons();
    let dynamic_urls = buttons
        .iter()
        .filter(|button| {
            button["type"] == "URL"
                && !template_variables(button["url"].as_str().unwrap_or_default()).is_empty()
        })
        .count();
    let sent_urls = sent
        .iter()
        .filter(|component| component["sub_type"] == "url")
        .count();
    if sent_urls != dynamic_urls {
        return Err(count_mismatch("buttons", dynamic_urls, sent_urls));
    }
    for component in sent {
        let index = component["index"]
            .as_u64()
            .or_else(|| {
                component["index"]
                    .as_str()
                    .and_then(|index| index.parse().ok())
            })
            .ok_or_else(|| {
                GraphError::from_code(131008).with_details("button: index is required")
            })?;
        let button = usize::try_from(index)
            .ok()
            .and_then(|index| buttons.get(index));
        let Some(button) = button else {
            return Err(format_mismatch(format!(
                "button: the template has no button at index {index}"
            )));
        };
        let params = parameters(&[component]);
        match component["sub_type"].as_str() {
            Some("url") if button["type"] == "URL" => {
                if params.len() != 1 {
                    return Err(count_mismatch("url button", 1, params.len()));
                }
                check_text_param(params[0], "url button")?;
            }
            Some("quick_reply") if button["type"] == "QUICK_REPLY" => {
                if params.iter().any(|param| param["type"] != "payload") {
                    return Err(format_mismatch(
                        "quick_reply button: parameters must be of type payload".to_owned(),
                    ));
                }
            }
            other => {
                return Err(format_mismatch(format!(
                    "button {index}: sub_type {} does not match the template's {} button",
                    other.unwrap_or("(none)"),
                    button["type"].as_str().unwrap_or_default()
                )));
            }
        }
    }
    Ok(())
}
