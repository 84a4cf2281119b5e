//! The phone the console drives. The console only speaks this trait, so a SIP/WebRTC softphone
//! can replace the manual one without touching the console.

/// What the phone reports back; the console turns each into a call event on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneEvent {
    Ringing,
    Answered,
    Ended,
    Failed,
}

/// The operations the console needs from a phone.
pub trait Softphone {
    /// Shown in the console, e.g. "Desk phone (manual)".
    fn name(&self) -> &'static str;
    /// Whether the agent confirms ringing/answered/ended by hand (no signalling from the phone).
    fn is_manual(&self) -> bool;
    fn supports_mute(&self) -> bool;
    fn supports_hold(&self) -> bool;
    /// Places the call. A manual phone only shows the number for the agent to dial.
    fn dial(&self, number: &str);
    fn hang_up(&self);
    fn set_muted(&self, muted: bool);
    fn set_on_hold(&self, on_hold: bool);
}

/// The agent dials on a desk phone and tells the console when the call is answered and when it
/// ended: the console keeps the record and the timing. A real mode many teams use.
#[derive(Clone, Copy, Debug, Default)]
pub struct ManualPhone;

impl Softphone for ManualPhone {
    fn name(&self) -> &'static str {
        "Desk phone (manual)"
    }

    fn is_manual(&self) -> bool {
        true
    }

    fn supports_mute(&self) -> bool {
        false
    }

    fn supports_hold(&self) -> bool {
        false
    }

    // Nothing to signal: the number is on screen and the agent dials it.
    fn dial(&self, _number: &str) {}

    fn hang_up(&self) {}

    fn set_muted(&self, _muted: bool) {}

    fn set_on_hold(&self, _on_hold: bool) {}
}
