//! Integration tests: the real router over real HTTP against a real Postgres, one database per
//! test (cloned from a migrated and seeded template).

mod appeals;
mod applications;
mod assisted;
mod catalogue;
mod certificates;
mod db_roles;
mod devices;
mod digilocker;
mod escalation;
mod grievance_admin;
mod grievance_filing;
mod grievance_history;
mod grievance_photos;
mod grievances;
mod helpers;
mod identity;
mod intake;
mod jobs;
mod limits;
mod locker;
mod me_too;
mod metrics;
mod my_data;
mod notifications;
mod open311;
mod outside;
mod password_reset;
mod posts;
mod retention;
mod role_gate;
mod second_factor;
mod service_forms;
mod shutdown;
mod web_push;
mod work_queue;
