//! The browser side of the click-to-call channel, shared by the console and the click-to-call
//! control: open `crm-agent-phone`, post typed messages, receive only well-formed ones, and
//! claim work with the Web Locks API so that of several consoles exactly one acts.
//! Runs in the browser only (effects and event handlers); the server never opens a channel.

use super::channel::{PhoneMessage, CHANNEL_NAME};
use std::{
    cell::{Cell, RefCell},
    collections::HashMap,
    rc::Rc,
};
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

/// A tab's receiver of channel messages.
type Listener = Rc<dyn Fn(PhoneMessage)>;

thread_local! {
    // One channel and one set of held locks per tab. Kept here rather than in reactive
    // storage: JS objects may not be dropped on another thread, which the server's renderer
    // would do (the server never touches these).
    static CHANNEL: RefCell<Option<BroadcastChannel>> = const { RefCell::new(None) };
    static LISTENERS: RefCell<Vec<(u64, Listener)>> = const { RefCell::new(Vec::new()) };
    static NEXT_LISTENER: Cell<u64> = const { Cell::new(0) };
    static HELD: RefCell<HashMap<String, Function>> = RefCell::new(HashMap::new());
}

/// Opens the tab's channel once. Every well-formed message from other tabs goes to every
/// listener; malformed and unknown ones are logged to the browser console and ignored.
fn with_channel(then: impl FnOnce(&BroadcastChannel)) {
    CHANNEL.with_borrow_mut(|slot| {
        if slot.is_none() {
            let Ok(channel) = BroadcastChannel::new(CHANNEL_NAME) else {
                return;
            };
            let handler = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
                match read(&event.data()) {
                    Ok(message) => {
                        let listeners: Vec<_> =
                            LISTENERS.with_borrow(|l| l.iter().map(|(_, f)| f.clone()).collect());
                        for listener in listeners {
                            listener(message.clone());
                        }
                    }
                    Err(reason) => web_sys::console::warn_1(
                        &format!("{CHANNEL_NAME}: ignored a message ({reason})").into(),
                    ),
                }
            });
            channel.set_onmessage(Some(handler.as_ref().unchecked_ref()));
            // The handler lives as long as the tab's channel, i.e. the tab.
            handler.forget();
            *slot = Some(channel);
        }
        if let Some(channel) = slot.as_ref() {
            then(channel);
        }
    });
}

/// Calls `on_message` with every message from other tabs until [`unlisten`].
pub fn listen(on_message: impl Fn(PhoneMessage) + 'static) -> u64 {
    with_channel(|_| {});
    let id = NEXT_LISTENER.replace(NEXT_LISTENER.get() + 1);
    LISTENERS.with_borrow_mut(|l| l.push((id, Rc::new(on_message))));
    id
}

pub fn unlisten(id: u64) {
    LISTENERS.with_borrow_mut(|l| l.retain(|(i, _)| *i != id));
}

/// Sends `message` to every other tab of the browser.
pub fn post(message: &PhoneMessage) {
    with_channel(|channel| {
        if let Err(e) = channel.post_message(&JsValue::from_str(&message.to_json())) {
            web_sys::console::warn_2(&format!("{CHANNEL_NAME}: could not post").into(), &e);
        }
    });
}

/// Releases a lock taken with [`try_lock`]; nothing when it is not held here.
pub fn release(name: &str) {
    if let Some(resolve) = HELD.with_borrow_mut(|h| h.remove(name)) {
        let _ = resolve.call0(&JsValue::NULL);
    }
}

/// Asks for the lock `name` without waiting: `then(true)` when this tab now holds it (until
/// [`release`]), `then(false)` when another tab (or this one) holds it. Locks are per origin, so
/// every console of the browser competes.
pub fn try_lock(name: &str, then: impl FnOnce(bool) + 'static) {
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
    let held_name = name.to_string();
    let callback = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |lock: JsValue| {
        let Some(then) = then.take() else {
            return Promise::resolve(&JsValue::NULL);
        };
        if lock.is_null() {
            then(false);
            return Promise::resolve(&JsValue::NULL);
        }
        // The lock is held until this promise settles, i.e. until `release`.
        let mut resolver = None;
        let held = Promise::new(&mut |resolve, _reject| resolver = Some(resolve));
        if let Some(resolve) = resolver {
            HELD.with_borrow_mut(|h| h.insert(held_name.clone(), resolve));
        }
        then(true);
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
