//! The console's shared state and what its parts do with it: take click-to-call requests, start
//! and advance calls, save the wrap-up, tell the other tabs.

use super::{
    bus,
    channel::{PhoneMessage, RelatedType},
    server_fns::{call_event, start_call, wrap_up_call},
    softphone::{ManualPhone, PhoneEvent, Softphone},
    state::CallEvent,
    Call, StartCallForm, WrapUpForm,
};
use crate::error::AppError;
use leptos::{prelude::*, task::spawn_local};
use std::time::Duration;

/// Everything the console's parts share. Copy, so handlers capture it freely.
#[derive(Clone, Copy)]
pub(super) struct Console {
    pub(super) current: RwSignal<Option<Call>>,
    pub(super) recent: RwSignal<Vec<Call>>,
    pub(super) dispositions: RwSignal<Vec<crate::dispositions::Disposition>>,
    pub(super) away: RwSignal<bool>,
    /// A live call that another console tab is running.
    pub(super) busy_elsewhere: RwSignal<bool>,
    pub(super) session_expired: RwSignal<bool>,
    pub(super) notice: RwSignal<Option<String>>,
    pub(super) wrap_up_error: RwSignal<Option<AppError>>,
    pub(super) saving: RwSignal<bool>,
    /// The click-to-call request behind the current call, for CALL_STARTED / CALL_FAILED.
    pub(super) request_id: RwSignal<Option<String>>,
    pub(super) now_ms: RwSignal<f64>,
}

impl Console {
    pub(super) fn post(self, message: PhoneMessage) {
        bus::post(&message);
    }

    pub(super) fn busy(self) -> bool {
        self.current.with_untracked(Option::is_some)
            || self.away.get_untracked()
            || self.busy_elsewhere.get_untracked()
            || self.session_expired.get_untracked()
    }

    /// An error from the server: a lapsed session asks to sign in again in place.
    pub(super) fn problem(self, error: AppError) {
        if error == AppError::Unauthorized {
            self.session_expired.set(true);
        } else {
            self.notice.set(Some(error.explained()));
        }
    }

    /// Holds the lock naming the live call, so a console opened meanwhile leaves it alone.
    pub(super) fn hold_call(self, call: &Call) {
        bus::try_lock(&live_lock_name(call.id), |_| {});
    }

    pub(super) fn show(self, call: Call) {
        let ended = !call.state.is_live();
        if ended {
            bus::release(&live_lock_name(call.id));
            self.post(PhoneMessage::CallEnded {
                call_id: call.id,
                duration: call.duration_seconds.unwrap_or(0).max(0) as u32,
            });
        }
        self.current.set(Some(call));
    }

    pub(super) fn start(self, form: StartCallForm) {
        let request_id = Some(form.request_id.clone()).filter(|r| !r.is_empty());
        self.request_id.set(request_id.clone());
        self.notice.set(None);
        spawn_local(async move {
            match start_call(form).await {
                Ok(call) => {
                    if let Some(request_id) = request_id {
                        self.post(PhoneMessage::CallStarted {
                            request_id,
                            call_id: call.id,
                            related_id: call.deal_id.or(call.contact_id).or(call.company_id),
                        });
                    }
                    ManualPhone.dial(call.their_number());
                    self.hold_call(&call);
                    self.current.set(Some(call));
                }
                Err(error) => {
                    if let Some(request_id) = request_id {
                        // The tab that asked has no field to highlight: name the reason.
                        self.post(PhoneMessage::CallFailed {
                            request_id,
                            reason: error.explained(),
                        });
                    }
                    self.problem(error);
                }
            }
        });
    }

    pub(super) fn phone_event(self, event: PhoneEvent) {
        let Some(id) = self.current.with_untracked(|c| c.as_ref().map(|c| c.id)) else {
            return;
        };
        let event = match event {
            PhoneEvent::Ringing => CallEvent::Ring,
            PhoneEvent::Answered => CallEvent::Answer,
            PhoneEvent::Ended => CallEvent::HangUp,
            PhoneEvent::Failed => CallEvent::Fail,
        };
        self.send_event(id, event);
    }

    pub(super) fn send_event(self, id: i64, event: CallEvent) {
        spawn_local(async move {
            match call_event(id, event.into()).await {
                Ok(call) => self.show(call),
                Err(error) => self.problem(error),
            }
        });
    }

    pub(super) fn wrap_up(self, (disposition_id, notes): (String, String)) {
        let Some(id) = self.current.with_untracked(|c| c.as_ref().map(|c| c.id)) else {
            return;
        };
        self.saving.set(true);
        spawn_local(async move {
            let form = WrapUpForm {
                disposition_id,
                notes,
            };
            match wrap_up_call(id, form).await {
                Ok(call) => {
                    self.wrap_up_error.set(None);
                    self.current.set(None);
                    self.request_id.set(None);
                    self.recent.update(|r| {
                        r.insert(0, call);
                        r.truncate(10);
                    });
                }
                Err(AppError::Unauthorized) => self.session_expired.set(true),
                Err(error) => self.wrap_up_error.set(Some(error)),
            }
            self.saving.set(false);
        });
    }

    /// A message from another tab.
    pub(super) fn receive(self, message: PhoneMessage, console_id: &str, user_id: i64) {
        match message {
            PhoneMessage::ConsolePing { .. } => self.post(PhoneMessage::ConsolePresent {
                console_id: console_id.to_string(),
                user_id,
            }),
            PhoneMessage::CallRequest {
                number,
                related_type,
                related_id,
                request_id,
            } => self.take_request(number, related_type, related_id, request_id),
            _ => {}
        }
    }

    /// Of all consoles in the browser, the one that gets the request's lock takes it. A free
    /// console asks at once; a busy one a moment later, to answer "busy" only when no free
    /// console took it.
    pub(super) fn take_request(
        self,
        number: String,
        related_type: Option<RelatedType>,
        related_id: Option<i64>,
        request_id: String,
    ) {
        let busy = self.busy();
        let claim = move || {
            let lock_name = format!("crm-call-request-{request_id}");
            bus::try_lock(&lock_name.clone(), move |taken| {
                if !taken {
                    return;
                }
                // Held a while, so a console that asks late cannot take the same request.
                set_timeout(move || bus::release(&lock_name), Duration::from_secs(30));
                if busy {
                    self.post(PhoneMessage::CallFailed {
                        request_id,
                        reason: "The agent console is busy with another call".into(),
                    });
                    return;
                }
                let related_type = match related_type {
                    Some(RelatedType::Contact) => "contact",
                    Some(RelatedType::Company) => "company",
                    Some(RelatedType::Deal) => "deal",
                    None => "",
                };
                self.start(StartCallForm {
                    number,
                    direction: "outbound".into(),
                    related_type: related_type.into(),
                    related_id: related_id.map(|id| id.to_string()).unwrap_or_default(),
                    request_id,
                });
            });
        };
        if busy {
            set_timeout(claim, Duration::from_millis(400));
        } else {
            claim();
        }
    }
}

/// The Web Lock a console holds while it runs call `id`.
pub(super) fn live_lock_name(id: i64) -> String {
    format!("crm-live-call-{id}")
}
