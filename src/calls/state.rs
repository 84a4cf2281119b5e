//! The life of a call as a state machine: only the transitions listed here exist, so a call
//! cannot be answered after it ended or wrapped up twice, whatever a client sends.

crate::text_enum! {
    pub enum CallState("call state") {
        Dialing = "dialing",
        Ringing = "ringing",
        Answered = "answered",
        Ended = "ended",
        Failed = "failed",
        /// The console went away mid-call; the next console load closes it and asks for wrap-up.
        Interrupted = "interrupted",
        WrappedUp = "wrapped_up",
    }
}

crate::text_enum! {
    pub enum CallEvent("call event") {
        Ring = "ring",
        Answer = "answer",
        HangUp = "hang_up",
        Fail = "fail",
        Interrupt = "interrupt",
        WrapUp = "wrap_up",
    }
}

impl CallState {
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
