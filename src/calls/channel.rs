//! The click-to-call contract between CRM tabs and the agent console tab, carried over the
//! BroadcastChannel `crm-agent-phone` as JSON with a `type` field (see DESIGN.md). One module
//! for both sides, so the console and the click-to-call control cannot drift apart.

use serde::{Deserialize, Serialize};

/// The BroadcastChannel every CRM tab of the browser shares.
pub const CHANNEL_NAME: &str = "crm-agent-phone";

crate::text_enum! {
    /// What a call is about, so the console can link the record and file the call on it.
    pub enum RelatedType("related type") {
        Contact = "contact",
        Company = "company",
        Deal = "deal",
    }
}

/// Every message on the channel. Parsing is strict: an unknown `type`, a missing or extra
/// field, or a wrong type is refused as a whole, and the receiver ignores it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum PhoneMessage {
    /// Any tab asks whether a console is open.
    ConsolePing { request_id: String },
    /// A console answers a ping.
    ConsolePresent { console_id: String, user_id: i64 },
    /// A CRM tab asks the console to call a number.
    CallRequest {
        number: String,
        related_type: Option<RelatedType>,
        related_id: Option<i64>,
        request_id: String,
    },
    /// The console has taken the request and started the call.
    CallStarted {
        request_id: String,
        call_id: i64,
        related_id: Option<i64>,
    },
    /// The call is over after `duration` seconds.
    CallEnded { call_id: i64, duration: u32 },
    /// The console could not place the call (invalid number, busy with another call…).
    CallFailed { request_id: String, reason: String },
}

impl PhoneMessage {
    /// Reads one message; `Err` says why it was refused, for the console log.
    pub fn parse(json: &str) -> Result<PhoneMessage, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    pub fn to_json(&self) -> String {
        // A message is plain data: serialising it cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_use_the_documented_wire_names() {
        let request = PhoneMessage::CallRequest {
            number: "+4930123456".into(),
            related_type: Some(RelatedType::Contact),
            related_id: Some(7),
            request_id: "r-1".into(),
        };
        assert_eq!(
            request.to_json(),
            r#"{"type":"CALL_REQUEST","number":"+4930123456","relatedType":"contact","relatedId":7,"requestId":"r-1"}"#
        );
        let ended = PhoneMessage::parse(r#"{"type":"CALL_ENDED","callId":3,"duration":42}"#);
        assert_eq!(
            ended,
            Ok(PhoneMessage::CallEnded {
                call_id: 3,
                duration: 42
            })
        );
    }

    #[test]
    fn every_message_survives_a_round_trip() {
        let all = [
            PhoneMessage::ConsolePing {
                request_id: "p".into(),
            },
            PhoneMessage::ConsolePresent {
                console_id: "c".into(),
                user_id: 1,
            },
            PhoneMessage::CallStarted {
                request_id: "r".into(),
                call_id: 9,
                related_id: None,
            },
            PhoneMessage::CallFailed {
                request_id: "r".into(),
                reason: "busy".into(),
            },
        ];
        for message in all {
            assert_eq!(PhoneMessage::parse(&message.to_json()), Ok(message));
        }
    }

    #[test]
    fn malformed_and_unknown_messages_are_refused() {
        for json in [
            "not json",
            "{}",
            r#"{"type":"SELF_DESTRUCT"}"#,
            r#"{"type":"CALL_ENDED","callId":"three","duration":1}"#,
            r#"{"type":"CALL_ENDED","callId":3}"#,
            r#"{"type":"CALL_ENDED","callId":3,"duration":1,"extra":true}"#,
            r#"{"type":"CALL_REQUEST","number":"1","relatedType":"planet","relatedId":1,"requestId":"r"}"#,
        ] {
            assert!(PhoneMessage::parse(json).is_err(), "{json} must be refused");
        }
    }
}
