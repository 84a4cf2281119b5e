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

const FIRST_RETRY_MS: u32 = 1_000;
const MAX_RETRY_MS: u32 = 30_000;

thread_local! {
    static STARTED: Cell<bool> = const { Cell::new(false) };
    /// How long to wait before the next new stream; back to the first wait once one opens.
    static RETRY_MS: Cell<u32> = const { Cell::new(FIRST_RETRY_MS) };
    /// This stream replaces one that gave up: what happened in between was not replayed.
    static REOPENED: Cell<bool> = const { Cell::new(false) };
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

/// Opens the stream and passes each event on. EventSource reconnects by itself after a dropped
/// connection (sending Last-Event-ID, so nothing is missed); after an answer other than the
/// stream (a proxy's 502 during a deploy) it gives up, so this opens a new one, waiting longer
/// each time, and since that one starts afresh, tells the pages to resync once it is open.
fn open_stream(updates: LiveUpdates, channel: BroadcastChannel) {
    let Ok(source) = EventSource::new("/events") else {
        return;
    };
    let on_open = Closure::<dyn Fn(web_sys::Event)>::new({
        let channel = channel.clone();
        move |_| {
            if RETRY_MS.replace(FIRST_RETRY_MS) != FIRST_RETRY_MS || REOPENED.replace(false) {
                let resync = LiveEvent {
                    kind: super::LiveKind::Resync,
                    entity: None,
                    entity_id: None,
                };
                if let Ok(json) = serde_json::to_string(&resync) {
                    let _ = channel.post_message(&JsValue::from_str(&json));
                }
                updates.hear(resync);
            }
        }
    });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    on_open.forget();
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
            if source.ready_state() != EventSource::CLOSED {
                return;
            }
            let wait = RETRY_MS.get();
            RETRY_MS.set((wait * 2).min(MAX_RETRY_MS));
            REOPENED.set(true);
            let channel = channel.clone();
            set_timeout(
                move || open_stream(updates, channel),
                std::time::Duration::from_millis(u64::from(wait)),
            );
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
