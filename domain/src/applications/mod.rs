//! Applications for services: the form a department defines for a service, checked by the same
//! rules in the browser and on the server (`form`), and the working days a service's time limit
//! counts (`calendar`). Filing, the official's side, certificates and
//! the document locker build on it (issue 10).

pub mod calendar;
pub mod form;
#[cfg(feature = "ssr")]
pub mod store;
