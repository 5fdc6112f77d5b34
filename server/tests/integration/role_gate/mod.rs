//! Every protected server function refuses the wrong caller on the server, whatever the UI shows.
//!
//! By capability: `admin` (services, departments and staff), `grievances` (the call centre,
//! ladders and intake keys), and `requests` (pages behind the gate, cross-site posts, the
//! development inbox).

mod admin;
mod grievances;
mod requests;
