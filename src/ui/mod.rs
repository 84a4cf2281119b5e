//! Components shared by every area of the app.

pub mod bulk_assign;
mod connection_banner;
pub mod debounce;
pub mod format;
pub mod new_menu;
pub mod owner_filter;
mod pager;
pub mod picker;
pub mod record_page;

/// Phone numbers call through the agent console (see `calls::click_to_call`).
pub use crate::calls::click_to_call::{ClickToCall, PhoneOrDash};
pub use connection_banner::ConnectionBanner;
pub use pager::Pager;
pub use picker::Picker;

use crate::error::AppError;

/// The line a form shows under itself for a failed action: each field with its reason, or the
/// error's message.
pub fn error_text<T: Clone + Send + Sync + 'static>(
    value: Option<Result<T, AppError>>,
) -> Option<String> {
    value?.err().map(|e| e.explained())
}
