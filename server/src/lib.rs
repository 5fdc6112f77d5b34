//! The server: startup, workers and admin commands. A library so that integration tests start
//! the real router against their own database.

pub mod api;
pub mod bench;
pub mod bench_payments;
pub mod jobs;
pub mod metrics;
pub mod notifications;
pub mod sandbox_billers;
pub mod sandbox_gateway;
pub mod sandbox_razorpay;
pub mod seed;
pub mod startup;
pub mod telemetry;
