//! The browser side of the click-to-call channel, shared by the console and the click-to-call
//! control: open `crm-agent-phone`, post typed messages, receive only well-formed ones, and
//! claim work with the Web Locks API so that of several consoles exactly one acts.
//! Runs in the browser only (effects and event handlers); the server never opens a channel.

use super::channel::{PhoneMessage, CHANNEL_NAME};
use web_sys::{
    js_sys::{Function, Object, Promise, Reflect, JSON},
    wasm_bindgen::{closure::Closure, JsCast, JsValue},
    BroadcastChannel, MessageEvent,
};

/// Reads one channel message: a JSON string, or an object (some senders post objects).
fn read(data: &JsValue) -> Result<PhoneMessage, String> {
    let text = match data.as_string() {
        Some(text) => text,
        None => JSON::stringify(data)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or("not JSON")?,
    };
    PhoneMessage::parse(&text)
}

/// An open channel. Dropping it does not close it: tabs keep theirs for their lifetime.
#[derive(Clone)]
pub struct PhoneBus(BroadcastChannel);

impl PhoneBus {
    /// Opens the channel; `on_message` gets every well-formed message from other tabs.
    /// Malformed and unknown messages are logged to the browser console and ignored.
    pub fn open(on_message: impl Fn(PhoneMessage) + 'static) -> Option<PhoneBus> {
        let channel = BroadcastChannel::new(CHANNEL_NAME).ok()?;
        let handler = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            match read(&event.data()) {
                Ok(message) => on_message(message),
                Err(reason) => web_sys::console::warn_1(
                    &format!("{CHANNEL_NAME}: ignored a message ({reason})").into(),
                ),
            }
        });
        channel.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        // The handler lives as long as the tab's channel.
        handler.forget();
        Some(PhoneBus(channel))
    }

    pub fn post(&self, message: &PhoneMessage) {
        if let Err(e) = self.0.post_message(&JsValue::from_str(&message.to_json())) {
            web_sys::console::warn_2(&format!("{CHANNEL_NAME}: could not post").into(), &e);
        }
    }
}

/// A Web Lock held until [`HeldLock::release`] (or the tab closes).
pub struct HeldLock(Function);

impl HeldLock {
    pub fn release(self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

/// Asks for the lock `name` without waiting: `then` gets the held lock, or `None` when another
/// tab (or this one) holds it. Locks are per origin, so every console of the browser competes.
pub fn try_lock(name: &str, then: impl FnOnce(Option<HeldLock>) + 'static) {
    // `navigator.locks.request(name, {ifAvailable: true}, callback)`, called through Reflect:
    // web-sys only binds the Web Locks API behind its unstable-API flag.
    let Some(window) = web_sys::window() else {
        return;
    };
    let locks = Reflect::get(&window.navigator(), &JsValue::from_str("locks")).ok();
    let request = locks
        .as_ref()
        .and_then(|l| Reflect::get(l, &JsValue::from_str("request")).ok())
        .and_then(|r| r.dyn_into::<Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        web_sys::console::warn_1(&"Web Locks are not available in this browser".into());
        return;
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::TRUE);
    let mut then = Some(then);
    let callback = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |lock: JsValue| {
        let Some(then) = then.take() else {
            return Promise::resolve(&JsValue::NULL);
        };
        if lock.is_null() {
            then(None);
            return Promise::resolve(&JsValue::NULL);
        }
        // The lock is held until this promise settles, i.e. until `release`.
        let mut release = None;
        let held = Promise::new(&mut |resolve, _reject| release = Some(resolve));
        match release {
            Some(resolve) => then(Some(HeldLock(resolve))),
            None => then(None),
        }
        held
    });
    let _ = request.call3(
        &locks,
        &JsValue::from_str(name),
        &options,
        callback.as_ref().unchecked_ref(),
    );
    callback.forget();
}

/// A fresh id for a request or a console: time and randomness, unique enough within a browser.
pub fn new_id(prefix: &str) -> String {
    let random = (web_sys::js_sys::Math::random() * 1e12) as u64;
    format!(
        "{prefix}-{}-{random:x}",
        web_sys::js_sys::Date::now() as u64
    )
}
