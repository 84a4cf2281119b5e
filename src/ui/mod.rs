//! Components shared by every area of the app.

mod connection_banner;

pub use connection_banner::ConnectionBanner;
