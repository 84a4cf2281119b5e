//! The header's "New" menu: a contact, company, deal or task from any page, each opening the
//! form where it is made. Only what the user may create is offered.

use crate::auth::{roles::Permission, SessionUser};
use leptos::prelude::*;

#[component]
pub fn NewMenu(user: SessionUser) -> impl IntoView {
    let entries = [
        (
            "Contact",
            "/contacts#new-contact-title",
            Permission::ContactsManage,
        ),
        (
            "Company",
            "/companies#new-company-title",
            Permission::ContactsManage,
        ),
        ("Deal", "/pipeline", Permission::DealsManage),
        ("Task", "/tasks#new-task-title", Permission::ContactsManage),
    ];
    let allowed: Vec<_> = entries
        .into_iter()
        .filter(|(_, _, permission)| user.can(*permission))
        .collect();
    (!allowed.is_empty()).then(|| {
        view! {
            <details class="new-menu" data-testid="new-menu">
                <summary class="button small">"New"</summary>
                <ul>
                    {allowed
                        .into_iter()
                        .map(|(label, href, _)| {
                            view! {
                                <li>
                                    <a href=href>{label}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        }
    })
}
