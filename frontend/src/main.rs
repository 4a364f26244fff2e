//! The single-page app. For now a landing shell; the pages of DESIGN section 8 land with the
//! SPA issue.

use yew::prelude::*;

#[function_component(App)]
fn app() -> Html {
    html! {
        <main>
            <h1>{ "SaaS Starter" }</h1>
            <p>{ "Sign up, buy credits, call the API with a key." }</p>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
