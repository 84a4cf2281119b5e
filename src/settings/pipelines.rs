//! Pipelines and their stages (`settings.manage`): add and rename pipelines; add, edit, reorder
//! (drag or Move up/Move down) and delete stages. Every change refetches the pipelines, so the
//! editor always ends up showing what the server stored, refusals included.

use super::stage_row::{StageActions, StageRow};
use crate::{
    deals::{server_fns::list_pipelines, Pipeline},
    pipelines::server_fns::{CreatePipeline, CreateStage, RenamePipeline},
};
use leptos::prelude::*;

#[component]
pub fn PipelinesSection() -> impl IntoView {
    let create_pipeline = ServerAction::<CreatePipeline>::new();
    let rename = ServerAction::<RenamePipeline>::new();
    let create_stage = ServerAction::<CreateStage>::new();
    let actions = StageActions::new();
    let message = RwSignal::new(None::<String>);
    report_into!(
        message,
        create_pipeline,
        rename,
        create_stage,
        actions.update,
        actions.delete,
        actions.reorder
    );
    let pipelines = Resource::new(
        move || {
            (
                create_pipeline.version().get(),
                rename.version().get(),
                create_stage.version().get(),
                actions.versions(),
            )
        },
        |_| list_pipelines(),
    );
    view! {
        <section class="panel" aria-labelledby="pipelines-title" data-testid="pipelines-editor">
            <h2 id="pipelines-title">"Pipelines and stages"</h2>
            <p class="hint">
                "Drag a stage by its handle, or use Move up and Move down, to change the order of the board's columns."
            </p>
            <p class="error" role="alert" data-testid="pipelines-error">
                {move || message.get()}
            </p>
            <Transition fallback=|| {
                view! { <p class="muted">"Loading pipelines…"</p> }
            }>
                {move || Suspend::new(async move {
                    match pipelines.await {
                        Ok(list) => {
                            list.into_iter()
                                .map(|p| {
                                    view! {
                                        <PipelineEditor pipeline=p rename create_stage actions />
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <h3>"Add a pipeline"</h3>
            <ActionForm action=create_pipeline attr:class="inline-form">
                <label>
                    "Name " <input name="name" required data-testid="new-pipeline-name" />
                </label>
                <button type="submit" class="button small">
                    "Add pipeline"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PipelineEditor(
    pipeline: Pipeline,
    rename: ServerAction<RenamePipeline>,
    create_stage: ServerAction<CreateStage>,
    actions: StageActions,
) -> impl IntoView {
    let id = pipeline.id;
    // The order as drawn: a drop shows at once, then the refetch after the save confirms it.
    let stages = RwSignal::new(pipeline.stages.clone());
    let name = pipeline.name.clone();
    view! {
        <div class="pipeline-editor" data-testid="pipeline-editor" data-pipeline=name>
            <ActionForm action=rename attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <label>
                    "Pipeline "
                    <input name="name" value=pipeline.name required aria-label="Pipeline name" />
                </label>
                <button type="submit" class="button small">
                    "Rename"
                </button>
                {pipeline
                    .is_default
                    .then(|| view! { <span class="badge">"Default pipeline"</span> })}
            </ActionForm>
            <ol class="stage-list" data-testid="stage-list">
                {move || {
                    let all = stages.get();
                    let ids: Vec<i64> = all.iter().map(|s| s.id).collect();
                    all.into_iter()
                        .enumerate()
                        .map(|(index, stage)| {
                            view! { <StageRow stage index ids=ids.clone() stages actions /> }
                        })
                        .collect_view()
                }}
            </ol>
            <ActionForm action=create_stage attr:class="inline-form add-stage">
                <input type="hidden" name="pipeline_id" value=id />
                <label>
                    "New stage " <input name="form[name]" required data-testid="new-stage-name" />
                </label>
                <label>"Colour " <input type="color" name="form[color]" value="#6b7280" /></label>
                <label>
                    "Probability % "
                    <input
                        type="number"
                        name="form[probability]"
                        min="0"
                        max="100"
                        value="0"
                        class="narrow"
                    />
                </label>
                <button type="submit" class="button small">
                    "Add stage"
                </button>
            </ActionForm>
        </div>
    }
}
