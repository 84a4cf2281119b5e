//! Reordering a list by drag and drop or by Move up/Move down buttons: both produce the full new
//! order of ids, which the server checks lists every item exactly once.

use leptos::prelude::*;

/// `ids` with `id` moved to `to` (the index it takes; the items from there shift by one).
/// An unknown id or an index past the end leaves the order as it is.
pub fn moved(ids: &[i64], id: i64, to: usize) -> Vec<i64> {
    let mut order = ids.to_vec();
    match order.iter().position(|&i| i == id) {
        Some(from) if to < order.len() => {
            let item = order.remove(from);
            order.insert(to, item);
        }
        _ => {}
    }
    order
}

/// Hidden fields that post `order` as the list `name[0]`, `name[1]`, … a reorder server
/// function takes as `Vec<i64>` (so the buttons work before the page has hydrated, too).
#[component]
pub fn OrderFields(name: &'static str, order: Vec<i64>) -> impl IntoView {
    order
        .into_iter()
        .enumerate()
        .map(|(i, id)| view! { <input type="hidden" name=format!("{name}[{i}]") value=id /> })
        .collect_view()
}

/// The order after moving `id` one place up (`-1`) or down (`1`); `None` at either end.
pub fn stepped(ids: &[i64], id: i64, step: isize) -> Option<Vec<i64>> {
    let from = ids.iter().position(|&i| i == id)?;
    let to = from.checked_add_signed(step).filter(|&to| to < ids.len())?;
    Some(moved(ids, id, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dragged_item_takes_the_place_of_the_one_it_is_dropped_on() {
        assert_eq!(moved(&[1, 2, 3, 4], 1, 2), [2, 3, 1, 4]);
        assert_eq!(moved(&[1, 2, 3, 4], 4, 0), [4, 1, 2, 3]);
        assert_eq!(moved(&[1, 2, 3], 9, 0), [1, 2, 3]);
        assert_eq!(moved(&[1, 2, 3], 1, 3), [1, 2, 3]);
    }

    #[test]
    fn steps_stop_at_the_ends() {
        assert_eq!(stepped(&[1, 2, 3], 2, -1), Some(vec![2, 1, 3]));
        assert_eq!(stepped(&[1, 2, 3], 2, 1), Some(vec![1, 3, 2]));
        assert_eq!(stepped(&[1, 2, 3], 1, -1), None);
        assert_eq!(stepped(&[1, 2, 3], 3, 1), None);
    }
}
