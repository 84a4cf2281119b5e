//! The life of a call as a state machine: only the transitions listed here exist, so a call
//! cannot be answered after it ended or wrapped up twice, whatever a client sends.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    Dialing,
    Ringing,
    Answered,
    Ended,
    Failed,
    /// The console went away mid-call; the next console load closes it and asks for wrap-up.
    Interrupted,
    WrappedUp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallEvent {
    Ring,
    Answer,
    HangUp,
    Fail,
    Interrupt,
    WrapUp,
}

impl CallEvent {
    pub const ALL: [CallEvent; 6] = [
        CallEvent::Ring,
        CallEvent::Answer,
        CallEvent::HangUp,
        CallEvent::Fail,
        CallEvent::Interrupt,
        CallEvent::WrapUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallEvent::Ring => "ring",
            CallEvent::Answer => "answer",
            CallEvent::HangUp => "hang_up",
            CallEvent::Fail => "fail",
            CallEvent::Interrupt => "interrupt",
            CallEvent::WrapUp => "wrap_up",
        }
    }

    pub fn parse(value: &str) -> Option<CallEvent> {
        CallEvent::ALL.into_iter().find(|e| e.as_str() == value)
    }
}

impl CallState {
    pub const ALL: [CallState; 7] = [
        CallState::Dialing,
        CallState::Ringing,
        CallState::Answered,
        CallState::Ended,
        CallState::Failed,
        CallState::Interrupted,
        CallState::WrappedUp,
    ];

    /// The state after `event`, or `None` when the event is not allowed now.
    pub fn next(self, event: CallEvent) -> Option<CallState> {
        use CallEvent as E;
        use CallState as S;
        match (self, event) {
            (S::Dialing, E::Ring) => Some(S::Ringing),
            (S::Dialing | S::Ringing, E::Answer) => Some(S::Answered),
            (S::Dialing | S::Ringing | S::Answered, E::HangUp) => Some(S::Ended),
            (S::Dialing | S::Ringing, E::Fail) => Some(S::Failed),
            (S::Dialing | S::Ringing | S::Answered, E::Interrupt) => Some(S::Interrupted),
            (S::Ended | S::Failed | S::Interrupted, E::WrapUp) => Some(S::WrappedUp),
            _ => None,
        }
    }

    /// The call is still going: the agent cannot start another one.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            CallState::Dialing | CallState::Ringing | CallState::Answered
        )
    }

    /// Over but not yet wrapped up: the console asks for the disposition before anything else.
    pub fn needs_wrap_up(self) -> bool {
        matches!(
            self,
            CallState::Ended | CallState::Failed | CallState::Interrupted
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CallState::Dialing => "dialing",
            CallState::Ringing => "ringing",
            CallState::Answered => "answered",
            CallState::Ended => "ended",
            CallState::Failed => "failed",
            CallState::Interrupted => "interrupted",
            CallState::WrappedUp => "wrapped_up",
        }
    }
}

impl TryFrom<String> for CallState {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        CallState::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| format!("unknown call state {value}"))
    }
}

#[cfg(test)]
mod tests {
    use super::{CallEvent as E, CallState as S};

    #[test]
    fn a_call_goes_from_dialing_to_wrapped_up() {
        let path = [E::Ring, E::Answer, E::HangUp, E::WrapUp];
        let end = path
            .into_iter()
            .try_fold(S::Dialing, |state, event| state.next(event));
        assert_eq!(end, Some(S::WrappedUp));
    }

    #[test]
    fn only_the_listed_transitions_exist() {
        let allowed = S::ALL
            .into_iter()
            .flat_map(|s| {
                [
                    E::Ring,
                    E::Answer,
                    E::HangUp,
                    E::Fail,
                    E::Interrupt,
                    E::WrapUp,
                ]
                .into_iter()
                .filter_map(move |e| s.next(e).map(|to| (s, e, to)))
            })
            .count();
        assert_eq!(allowed, 14);
        assert_eq!(S::Ended.next(E::Answer), None);
        assert_eq!(S::WrappedUp.next(E::WrapUp), None);
        assert_eq!(S::Answered.next(E::Fail), None);
        assert_eq!(S::Dialing.next(E::WrapUp), None);
    }

    #[test]
    fn live_and_wrap_up_states_do_not_overlap() {
        for state in S::ALL {
            assert!(!(state.is_live() && state.needs_wrap_up()), "{state:?}");
            assert_eq!(S::try_from(state.as_str().to_string()), Ok(state));
        }
    }
}
