//! The `/settings` page: one section per area, each shown only to users with its permission
//! (`users.manage`: users and teams; `settings.manage`: the company, role permissions, pipelines and stages,
//! call dispositions, calling, the PBX token and background jobs; `audit.view`: the audit log). The server functions check the same
//! permissions, so hiding a section is a convenience, not the protection.

/// Shows the error of whichever of the actions finished last in `$message` (a success clears it).
macro_rules! report_into {
    ($message:ident, $($action:expr),+ $(,)?) => {
        $(
            let action = $action;
            Effect::new(move || {
                if let Some(result) = action.value().get() {
                    $message.set($crate::ui::error_text(Some(result)));
                }
            });
        )+
    };
}

mod audit_log;
mod calling;
mod company;
mod dispositions;
mod jobs;
mod page;
mod pbx_token;
mod people;
mod permissions;
mod pipelines;
mod reorder;
mod stage_row;
mod status_rules;

pub use page::SettingsPage;
