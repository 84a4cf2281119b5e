//! The browser's end of `/events`. Browsers allow about six HTTP/1.1 connections per origin, so
//! of a user's tabs only one (the holder of a Web Lock) opens the stream; it hands every event to
//! its own page and to the other tabs over a BroadcastChannel. When that tab closes, the lock
//! passes to a waiting tab, which opens the stream in turn (resuming after the last id seen).
//! Pages watch [`LiveUpdates`] and refetch what an event touches. Runs in the browser only.

use super::LiveEvent;
use leptos::prelude::*;
use std::cell::Cell;
use web_sys::{
    js_sys::{Function, Promise, Reflect},
    wasm_bindgen::{closure::Closure, JsCast, JsValue},
    BroadcastChannel, EventSource, MessageEvent,
};

const CHANNEL_NAME: &str = "crm-events";
const LEADER_LOCK: &str = "crm-events-stream";
const KINDS: [&str; 4] = ["notification", "deal", "timeline", "resync"];

/// The newest event this tab heard, numbered so that the same event twice is still news.
#[derive(Clone, Copy)]
pub struct LiveUpdates(RwSignal<Option<(u64, LiveEvent)>>);

impl LiveUpdates {
    pub fn provide() -> Self {
        let updates = Self(RwSignal::new(None));
        provide_context(updates);
        updates
    }

    /// The newest event (tracked: an effect reading it runs on every event).
    pub fn latest(&self) -> Option<LiveEvent> {
        self.0.get().map(|(_, event)| event)
    }

    fn hear(&self, event: LiveEvent) {
        self.0.update(|slot| {
            let n = slot.as_ref().map_or(0, |(n, _)| n + 1);
            *slot = Some((n, event));
        });
    }
}

thread_local! {
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Starts this tab's part once the user is signed in: listen to the other tabs, and queue for
/// the lock that makes this tab the one holding the stream.
#[component]
pub fn LiveFeed() -> impl IntoView {
    let updates = use_context::<LiveUpdates>();
    Effect::new(move || {
        if let Some(updates) = updates {
            if !STARTED.replace(true) {
                start(updates);
            }
        }
    });
}

fn parse(data: &JsValue) -> Option<LiveEvent> {
    serde_json::from_str(&data.as_string()?).ok()
}

fn start(updates: LiveUpdates) {
    let Ok(channel) = BroadcastChannel::new(CHANNEL_NAME) else {
        return;
    };
    let from_tabs = Closure::<dyn Fn(MessageEvent)>::new(move |message: MessageEvent| {
        if let Some(event) = parse(&message.data()) {
            updates.hear(event);
        }
    });
    channel.set_onmessage(Some(from_tabs.as_ref().unchecked_ref()));
    // Lives as long as the tab.
    from_tabs.forget();
    lead_when_free(move || open_stream(updates, channel));
}

/// Opens the stream and passes each event on; EventSource reconnects by itself (sending
/// Last-Event-ID) after a dropped connection.
fn open_stream(updates: LiveUpdates, channel: BroadcastChannel) {
    let Ok(source) = EventSource::new("/events") else {
        return;
    };
    for kind in KINDS {
        let channel = channel.clone();
        let on_event = Closure::<dyn Fn(MessageEvent)>::new(move |message: MessageEvent| {
            let data = message.data();
            if let Some(event) = parse(&data) {
                updates.hear(event);
                let _ = channel.post_message(&data);
            }
        });
        let _ = source.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
        on_event.forget();
    }
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new({
        let source = source.clone();
        move |_| {
            // CLOSED: the server refused (signed out); EventSource does not retry then.
            if source.ready_state() == EventSource::CLOSED {
                web_sys::console::warn_1(&"live updates stopped: the server refused".into());
            }
        }
    });
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
}

/// Waits for the lock, then runs `lead` and holds the lock for the rest of the tab's life.
fn lead_when_free(lead: impl FnOnce() + 'static) {
    // `navigator.locks.request(name, callback)` through Reflect: web-sys binds the Web Locks
    // API only behind its unstable-API flag.
    let Some(window) = web_sys::window() else {
        return;
    };
    let locks = Reflect::get(&window.navigator(), &JsValue::from_str("locks")).ok();
    let request = locks
        .as_ref()
        .and_then(|l| Reflect::get(l, &JsValue::from_str("request")).ok())
        .and_then(|r| r.dyn_into::<Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        // No Web Locks: every tab keeps its own stream.
        lead();
        return;
    };
    let mut lead = Some(lead);
    let callback = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_lock: JsValue| {
        if let Some(lead) = lead.take() {
            lead();
        }
        // Never settles: the lock is released when the tab goes away.
        Promise::new(&mut |_resolve, _reject| {})
    });
    let _ = request.call2(
        &locks,
        &JsValue::from_str(LEADER_LOCK),
        callback.as_ref().unchecked_ref(),
    );
    callback.forget();
}
