#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Link the app so that its islands are registered, then wake them.
    #[allow(unused_imports)]
    use app::*;
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
