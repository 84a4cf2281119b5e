//! The open board follows what others do: a deal another user moves, edits, gives away or
//! deletes changes here as it happens (the server's copy of that one deal, fetched through the
//! same permission-checked read as its card). A deal the board has not loaded, a filtered
//! board, or events that may have been missed fetch the whole board instead. A deal with a move
//! of ours still on its way is left to that move's answer: the server's version decides.

use super::{board::BoardContext, board_filter::BoardFilter, server_fns::get_deal};
use crate::{
    error::AppError,
    events::{live::LiveUpdates, LiveKind},
};
use leptos::{prelude::*, task::spawn_local};

pub fn follow_live_changes(context: BoardContext, pipeline_id: i64) {
    let Some(live) = use_context::<LiveUpdates>() else {
        return;
    };
    Effect::new(move |seen: Option<()>| {
        let event = live.latest();
        // The first run only subscribes: the board has just been loaded.
        if seen.is_none() {
            return;
        }
        // Only the event is tracked: the board read here is written when the fetch returns,
        // which must not run this again.
        untrack(|| match event {
            Some(e) if e.kind == LiveKind::Resync => reload_when_idle(context),
            Some(e) if e.kind == LiveKind::Deal => {
                if let Some(id) = e.entity_id {
                    follow_deal(context, pipeline_id, id);
                }
            }
            _ => {}
        });
    });
}

fn reload_when_idle(context: BoardContext) {
    if context.unsaved.with_untracked(Vec::is_empty) {
        context.reload();
    }
}

fn follow_deal(context: BoardContext, pipeline_id: i64, id: i64) {
    if context.unsaved.with_untracked(|ids| ids.contains(&id)) {
        return;
    }
    let loaded = context.find(id).is_some();
    let plain = context.filter.get_untracked() == BoardFilter::default();
    if !loaded || !plain {
        reload_when_idle(context);
        return;
    }
    spawn_local(async move {
        let fresh = get_deal(id).await;
        // A move of ours started meanwhile: its answer decides.
        if context.unsaved.with_untracked(|ids| ids.contains(&id)) {
            return;
        }
        let state = context.state();
        let next = match fresh {
            Ok(deal) if deal.pipeline_id == pipeline_id => state.replaced(deal),
            Ok(_) | Err(AppError::NotFound | AppError::Forbidden) => state.removed(id),
            Err(_) => return,
        };
        context.local.set(Some(next));
    });
}
