//! The job runner: every background job goes through it (`domain::jobs` has the queue's rules).
//! Each instance runs a few loops that claim a due job from Postgres, run its handler inside one
//! tracing span, and record how it went, so each job runs once however many instances run.

use crate::notifications::Providers;
use domain::jobs::store::{self, Claimed, Ran};
use sqlx::PgPool;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tracing::Instrument;

type Running = Pin<Box<dyn Future<Output = anyhow::Result<Ran>> + Send>>;
type Handler = Arc<dyn Fn(PgPool, Claimed) -> Running + Send + Sync>;

#[derive(Clone)]
struct Periodic {
    kind: &'static str,
    every: Duration,
    slots: u32,
}

/// The jobs an instance knows how to run.
#[derive(Clone, Default)]
pub struct Runner {
    handlers: HashMap<String, Handler>,
    periodic: Arc<Vec<Periodic>>,
}

impl Runner {
    pub fn new() -> Self {
        Self::default()
    }

    /// A one-off job kind and its handler.
    pub fn on<F, Fut>(mut self, kind: &'static str, handler: F) -> Self
    where
        F: Fn(PgPool, Claimed) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<Ran>> + Send + 'static,
    {
        self.handlers.insert(
            kind.to_string(),
            Arc::new(move |pool, job| Box::pin(handler(pool, job))),
        );
        self
    }

    /// A job that runs every `every` (at once again while its handler says there is more), in
    /// up to `slots` instances at a time.
    pub fn every<F, Fut>(self, kind: &'static str, every: Duration, slots: u32, handler: F) -> Self
    where
        F: Fn(PgPool, Claimed) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<Ran>> + Send + 'static,
    {
        let mut runner = self.on(kind, handler);
        Arc::make_mut(&mut runner.periodic).push(Periodic { kind, every, slots });
        runner
    }

    fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.handlers.keys().cloned().collect();
        kinds.sort();
        kinds
    }

    /// Runs one due job, if there is one; true when it did.
    pub async fn run_one(&self, pool: &PgPool, runner: &str) -> Result<bool, sqlx::Error> {
        let Some(job) = store::claim(pool, &self.kinds(), runner, now()).await? else {
            return Ok(false);
        };
        let span = tracing::info_span!("job", kind = %job.kind, key = %job.key, id = %job.id, attempt = job.attempts + 1);
        let handler = self.handlers[&job.kind].clone();
        let outcome = handler(pool.clone(), job.clone())
            .instrument(span.clone())
            .await;
        let _entered = span.enter();
        let kept = match outcome {
            Ok(ran) => store::succeeded(pool, &job, ran, now()).await?,
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "job failed");
                store::failed(pool, &job, &format!("{e:#}"), now()).await?
            }
        };
        if !kept {
            tracing::warn!("job's claim was lost before it finished; its outcome is not recorded");
        }
        Ok(true)
    }

    /// Schedules the periodic jobs and starts `loops` runner loops in this instance; `stop` on
    /// the answer ends them once the jobs in hand are done.
    pub async fn start(self, pool: PgPool, loops: usize) -> anyhow::Result<Started> {
        for p in self.periodic.iter() {
            store::ensure_periodic(&pool, p.kind, p.every, p.slots, now()).await?;
        }
        let instance = format!(
            "{}:{}",
            std::env::var("HOSTNAME").unwrap_or_else(|_| "nagarik".into()),
            std::process::id()
        );
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let mut handles = Vec::new();
        for n in 1..=loops {
            let (runner, pool, name) = (self.clone(), pool.clone(), format!("{instance}/{n}"));
            let mut stopping = stopping.clone();
            handles.push(tokio::spawn(async move {
                // A job, once claimed, runs to its end: stopping is only looked at between jobs.
                while !*stopping.borrow() {
                    let pause = match runner.run_one(&pool, &name).await {
                        Ok(true) => Duration::ZERO,
                        Ok(false) => Duration::from_millis(200),
                        Err(e) => {
                            tracing::warn!(error = %e, "the job queue could not be read");
                            Duration::from_secs(2)
                        }
                    };
                    tokio::select! {
                        _ = tokio::time::sleep(pause) => {}
                        _ = stopping.changed() => {}
                    }
                }
            }));
        }
        Ok(Started { stop, handles })
    }
}

/// The runner loops of this instance, running.
pub struct Started {
    stop: tokio::sync::watch::Sender<bool>,
    handles: Vec<tokio::task::JoinHandle<()>>,
}

impl Started {
    /// Claims no more jobs and waits (at most `grace`) for the ones in hand to finish. A job
    /// still running after that is dropped unrecorded: its lease passes and another instance
    /// takes it up again.
    pub async fn stop(self, grace: Duration) -> bool {
        let _ = self.stop.send(true);
        let all = async {
            for h in self.handles {
                let _ = h.await;
            }
        };
        tokio::time::timeout(grace, all).await.is_ok()
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Notices per delivery run.
const DELIVERY_BATCH: i64 = 50;
/// Grievances per sweep, each of three kinds.
const SWEEP_BATCH: i64 = 100;

/// Every job Nagarik runs today.
pub fn nagarik(
    providers: Providers,
    gateway: domain::payments::razorpay::Razorpay,
    billers: domain::bills::biller::Billers,
) -> Runner {
    let tell_gateway = gateway.clone();
    let providers = Arc::new(providers);
    Runner::new()
        // The outbox: SMS, email and push, a quarter of a second after they are written at most.
        // Two slots: delivery claims its own rows, so two instances may deliver at once.
        .every(
            "notification_delivery",
            Duration::from_millis(250),
            2,
            move |pool, _| {
                let providers = providers.clone();
                async move {
                    let sent =
                        domain::notifications::deliver_due(&pool, &*providers, DELIVERY_BATCH)
                            .await?;
                    Ok(if sent as i64 >= DELIVERY_BATCH {
                        Ran::More
                    } else {
                        Ran::Idle
                    })
                }
            },
        )
        // The grievance clock: escalates breached deadlines, warns before them, and closes
        // resolutions the citizen did not answer.
        .every(
            "grievance_sweeps",
            Duration::from_secs(10),
            1,
            |pool, _| async move {
                use domain::grievances::escalation::sweeps;
                let now = now();
                let escalated = sweeps::escalate_due(&pool, now, SWEEP_BATCH).await?;
                let warned = sweeps::warn_due(&pool, now, SWEEP_BATCH).await?;
                let closed = sweeps::close_unanswered(&pool, now, SWEEP_BATCH).await?;
                Ok(
                    if escalated.max(warned).max(closed) >= SWEEP_BATCH as usize {
                        Ran::More
                    } else {
                        Ran::Idle
                    },
                )
            },
        )
        // Applications due within two working days: their officers are reminded, once a due date.
        .every(
            "application_reminders",
            Duration::from_secs(60),
            1,
            |pool, _| async move {
                let reminded =
                    domain::applications::store::remind_due(&pool, now(), SWEEP_BATCH).await?;
                Ok(if reminded >= SWEEP_BATCH as usize {
                    Ran::More
                } else {
                    Ran::Idle
                })
            },
        )
        // What is kept only while it is needed: ended sessions, unfinished registrations,
        // expired codes and their words in the outbox, old offers and messages.
        .every(
            "retention_sweep",
            Duration::from_secs(3600),
            1,
            |pool, _| async move {
                let swept = domain::retention::sweep(&pool, now()).await?;
                tracing::info!(?swept, "retention sweep");
                Ok(Ran::Idle)
            },
        )
        // Payments still open a minute after they began, and refunds the gateway did not answer,
        // are asked of the gateway: nothing stays pending for ever.
        .every(
            "payment_reconciliation",
            Duration::from_secs(30),
            1,
            move |pool, _| {
                let gateway = gateway.clone();
                async move {
                    let done = domain::payments::store::reconcile(&pool, &gateway, now()).await?;
                    Ok(if done.payments >= 20 {
                        Ran::More
                    } else {
                        Ran::Idle
                    })
                }
            },
        )
        // Bill payments whose money is ours are told to their billers (again, less and less
        // often, while a biller is down or slow); a biller's refusal is refunded.
        .every(
            "bill_payments",
            Duration::from_secs(5),
            1,
            move |pool, _| {
                let (billers, gateway) = (billers.clone(), tell_gateway.clone());
                async move {
                    let done = domain::bills::store::tell(&pool, &billers, &gateway, now()).await?;
                    Ok(if done.confirmed + done.refused + done.later >= 20 {
                        Ran::More
                    } else {
                        Ran::Idle
                    })
                }
            },
        )
        // Holds of a facility's slot past their ten minutes, unpaid, free the slot (a hold whose
        // UPI payment the bank is still deciding keeps it).
        .every(
            "booking_holds",
            Duration::from_secs(30),
            1,
            |pool, _| async move {
                domain::bookings::store::expire_holds(&pool, now()).await?;
                Ok(Ran::Idle)
            },
        )
        // Throttle counts whose window ended a day ago.
        .every(
            "throttle_sweep",
            Duration::from_secs(3600),
            1,
            |pool, _| async move {
                domain::throttle::sweep(&pool, now()).await?;
                Ok(Ran::Idle)
            },
        )
}
