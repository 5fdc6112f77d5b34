//! Applications for services (issue 10). Rules that compile for the browser too: `form` (the
//! form a department defines for a service, checked by the same rules in the browser and on the
//! server), `calendar` (the working days a time limit counts), `lifecycle` (states, steps and the
//! clock), `access` (who may see and act), `number` (AP numbers) and `notices`. The queries are
//! in `store`: forms and holidays, drafts and filing, reading, and the department's steps.
//! Certificates and the document locker build on it.

pub mod access;
pub mod appeals;
pub mod calendar;
pub mod form;
pub mod form_editor;
pub mod lifecycle;
pub mod notices;
pub mod number;
#[cfg(feature = "ssr")]
pub mod store;

pub use lifecycle::{Action, Status};
pub use notices::Notice;
pub use number::ApplicationNumber;
