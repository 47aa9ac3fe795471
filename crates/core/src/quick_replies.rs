//! Quick replies ("ready messages"): text the owner saves once and inserts with a
//! shortcut, with `{{name}}`-style variables filled from the conversation's contact.

use serde::{Deserialize, Serialize};

use crate::core::Core;
use crate::db::{self, DbError, outbound, quick_replies as stored};
use crate::error::CoreError;
use crate::templates::fill_variables;

/// Variables a quick reply may use.
pub const VARIABLES: [&str; 3] = ["name", "first_name", "phone"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct QuickReply {
    pub id: i64,
    pub shortcut: String,
    pub body: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct QuickReplyInput {
    /// What the owner types after "/" to find it, e.g. "hours".
    pub shortcut: String,
    pub body: String,
}

impl From<stored::QuickReplyRow> for QuickReply {
    fn from(row: stored::QuickReplyRow) -> Self {
        QuickReply {
            id: row.id,
            shortcut: row.shortcut,
            body: row.body,
            updated_at: row.updated_at,
        }
    }
}

fn validated(input: QuickReplyInput) -> Result<QuickReplyInput, CoreError> {
    let shortcut = input.shortcut.trim().trim_start_matches('/').to_lowercase();
    if shortcut.is_empty()
        || shortcut.chars().count() > 32
        || shortcut.contains(char::is_whitespace)
    {
        return Err(CoreError::InvalidInput(
            "a shortcut is 1 to 32 characters without spaces".into(),
        ));
    }
    let body = input.body.trim().to_string();
    if body.is_empty() {
        return Err(CoreError::InvalidInput(
            "a quick reply needs some text".into(),
        ));
    }
    Ok(QuickReplyInput { shortcut, body })
}

fn taken(shortcut: &str) -> CoreError {
    CoreError::InvalidInput(format!("the shortcut /{shortcut} is already used"))
}

impl Core {
    pub async fn list_quick_replies(&self) -> Result<Vec<QuickReply>, CoreError> {
        let rows = self.database().read(stored::list).await?;
        Ok(rows.into_iter().map(QuickReply::from).collect())
    }

    pub async fn create_quick_reply(
        &self,
        input: QuickReplyInput,
    ) -> Result<QuickReply, CoreError> {
        let input = validated(input)?;
        let now = db::now_secs();
        self.database()
            .write(
                move |conn| -> Result<Result<QuickReply, CoreError>, DbError> {
                    if stored::shortcut_taken(conn, &input.shortcut, None)? {
                        return Ok(Err(taken(&input.shortcut)));
                    }
                    Ok(Ok(
                        stored::insert(conn, &input.shortcut, &input.body, now)?.into()
                    ))
                },
            )
            .await?
    }

    pub async fn update_quick_reply(
        &self,
        id: i64,
        input: QuickReplyInput,
    ) -> Result<QuickReply, CoreError> {
        let input = validated(input)?;
        let now = db::now_secs();
        self.database()
            .write(
                move |conn| -> Result<Result<QuickReply, CoreError>, DbError> {
                    if stored::shortcut_taken(conn, &input.shortcut, Some(id))? {
                        return Ok(Err(taken(&input.shortcut)));
                    }
                    Ok(stored::update(conn, id, &input.shortcut, &input.body, now)?
                        .map(QuickReply::from)
                        .ok_or_else(|| CoreError::NotFound(format!("quick reply {id}"))))
                },
            )
            .await?
    }

    pub async fn delete_quick_reply(&self, id: i64) -> Result<(), CoreError> {
        let deleted = self
            .database()
            .write(move |conn| stored::delete(conn, id))
            .await?;
        if !deleted {
            return Err(CoreError::NotFound(format!("quick reply {id}")));
        }
        Ok(())
    }

    /// The quick reply's text for this conversation: `{{name}}`, `{{first_name}}` and
    /// `{{phone}}` come from the contact; a variable with no value stays visible so the
    /// owner fills it in before sending.
    pub async fn fill_quick_reply(
        &self,
        id: i64,
        conversation_id: i64,
    ) -> Result<String, CoreError> {
        let (reply, target) = self
            .database()
            .read(move |conn| {
                Ok((
                    stored::get(conn, id)?,
                    outbound::conversation_target(conn, conversation_id)?,
                ))
            })
            .await?;
        let reply = reply.ok_or_else(|| CoreError::NotFound(format!("quick reply {id}")))?;
        let target =
            target.ok_or_else(|| CoreError::NotFound(format!("conversation {conversation_id}")))?;
        let name = target
            .profile_name
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        Ok(fill_variables(&reply.body, |variable| match variable {
            "name" => name.clone(),
            "first_name" => name
                .as_deref()
                .and_then(|n| n.split_whitespace().next())
                .map(str::to_string),
            "phone" => target.wa_id.as_ref().map(|wa_id| format!("+{wa_id}")),
            _ => None,
        }))
    }
}
