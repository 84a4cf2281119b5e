//! How values read on screen, shared by every page that shows them.

/// A duration as a clock: `75` → `1:15`, `3725` → `1:02:05`.
pub fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}
