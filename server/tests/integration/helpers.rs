use app::request::Config;
use leptos::prelude::get_configuration;
use serde_json::Value;
use sqlx::{Connection, PgConnection, PgPool};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const PASSWORD: &str = server::seed::DEMO_PASSWORD;
pub const CITY_ADMIN: &str = "9000000001";
pub const BMC_ADMIN: &str = "9000000002";
pub const BMC_OFFICIAL: &str = "9000000003";
pub const CITIZEN: &str = "9000000004";
/// The key the test servers want for `/metrics`.
pub const METRICS_KEY: &str = "a metrics key for the tests";
/// The role the test servers connect as: rows only, as in production (`domain::db::grant_app_role`).
pub const APP_ROLE: &str = "nagarik_app";

/// The tests' data key (`domain::sealed`): 32 bytes, in Base64.
pub const DATA_KEY: &str = "bmFnYXJpay10ZXN0LWRhdGEta2V5LTMyLWJ5dGVzISE=";

pub fn data_key() -> domain::sealed::DataKey {
    domain::sealed::DataKey::from_text(DATA_KEY).unwrap()
}

/// The config the test servers run with.
pub fn test_config() -> Config {
    Config {
        dev_inbox: true,
        secure_cookies: false,
        vapid_public_key: String::new(),
        push_services: vec!["http://127.0.0.1".into()],
        metrics_key: Some(METRICS_KEY.into()),
        data_key: data_key(),
        public_url: "https://nagarik.test".into(),
        digilocker_issuer: "in.gov.bhubaneswar".into(),
        // no gateway listens here: a test that pays starts the sandbox and sets its address
        payments: domain::payments::razorpay::Razorpay::new(
            domain::payments::razorpay::Settings::sandbox("http://127.0.0.1:9"),
        ),
        // nor a biller: a test of bills starts the sandbox billers
        billers: domain::bills::biller::Billers::at("http://127.0.0.1:9", |_| None),
    }
}

pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
        "postgres://postgres@localhost:5488/postgres?host=/var/tmp/nagarik-pg-root/run".into()
    })
}

/// The same server URL with another database name.
pub fn url_for(db: &str) -> String {
    let url = admin_url();
    let (base, query) = url
        .split_once('?')
        .map(|(b, q)| (b.to_string(), format!("?{q}")))
        .unwrap_or((url.clone(), String::new()));
    let base = base
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(base);
    format!("{base}/{db}{query}")
}

/// The URL of a database as the app's own role sees it.
pub fn app_url_for(db: &str) -> String {
    let mut url = reqwest::Url::parse(&url_for(db)).expect("a database URL");
    url.set_username(APP_ROLE).expect("a URL with a user");
    url.set_password(None).expect("a URL with a user");
    url.to_string()
}

/// A migrated, seeded database to clone, made once per build of the tests: keyed on the test
/// binary itself, so a change anywhere in the code the seed runs (search text, say) makes a new
/// one, not only a change of the migrations or the seed's own files.
async fn template() -> String {
    let mut hasher = 0xcbf29ce484222325u64;
    let mut mix = |bytes: &[u8]| {
        for b in bytes {
            hasher = (hasher ^ *b as u64).wrapping_mul(0x100000001b3);
        }
    };
    for m in domain::db::MIGRATOR.iter() {
        mix(&m.checksum);
    }
    let exe = std::env::current_exe().expect("the test binary");
    let meta = std::fs::metadata(&exe).expect("the test binary's metadata");
    mix(exe.to_string_lossy().as_bytes());
    mix(&meta.len().to_le_bytes());
    if let Ok(modified) = meta.modified() {
        let since = modified
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        mix(&since.as_nanos().to_le_bytes());
    }
    let name = format!("nagarik_tpl_{:x}", hasher & 0xffff_ffff_ffff);
    let mut admin = PgConnection::connect(&admin_url())
        .await
        .expect("test Postgres reachable (TEST_DATABASE_URL)");
    sqlx::query("SELECT pg_advisory_lock(4242)")
        .execute(&mut admin)
        .await
        .unwrap();
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .unwrap();
    if !exists {
        sqlx::raw_sql(&format!(
            "DO $$ BEGIN CREATE ROLE {APP_ROLE} LOGIN;
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        ))
        .execute(&mut admin)
        .await
        .unwrap();
        let building = format!("{name}_building");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .execute(&mut admin)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {building}"))
            .execute(&mut admin)
            .await
            .unwrap();
        {
            let pool = PgPool::connect(&url_for(&building)).await.unwrap();
            domain::db::migrate(&pool, Some(APP_ROLE)).await.unwrap();
            server::seed::demo(&pool, &data_key()).await.unwrap();
            pool.close().await;
        }
        sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        // Templates of earlier builds are of no more use (one still cloned from is left).
        let old: Vec<String> = sqlx::query_scalar(
            "SELECT datname FROM pg_database WHERE datname LIKE 'nagarik\\_tpl\\_%' AND datname <> $1
               AND datname NOT LIKE '%\\_building'",
        )
        .bind(&name)
        .fetch_all(&mut admin)
        .await
        .unwrap();
        for db in old {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db}"))
                .execute(&mut admin)
                .await;
        }
    }
    sqlx::query("SELECT pg_advisory_unlock(4242)")
        .execute(&mut admin)
        .await
        .unwrap();
    name
}

pub struct TestApp {
    pub base: String,
    pub pool: PgPool,
    /// The test's own database, dropped when the test ends.
    pub db: String,
    /// The key this instance seals with.
    pub key: domain::sealed::DataKey,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if self.db.is_empty() {
            return; // a second instance on another's database
        }
        let db = self.db.clone();
        // Drop runs outside any runtime we may block: a thread of its own does the work.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            rt.block_on(async {
                if let Ok(mut admin) = PgConnection::connect(&admin_url()).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await;
                }
            });
        })
        .join();
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_config()).await
}

pub async fn spawn_app_with(config: Config) -> TestApp {
    let tpl = template().await;
    let db = format!(
        "t_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = PgConnection::connect(&admin_url()).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {db} TEMPLATE {tpl}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let pool = domain::db::connect(&url_for(&db), 10).await.unwrap();
    serve(pool, config, db).await
}

/// A server on the database `pool` reaches, connected as the app's role; the test keeps `pool`
/// (the owner's) to set up and inspect.
async fn serve(pool: PgPool, config: Config, db: String) -> TestApp {
    let db_name: String = sqlx::query_scalar("SELECT current_database()::text")
        .fetch_one(&pool)
        .await
        .unwrap();
    let app_pool = domain::db::connect(&app_url_for(&db_name), 10)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut options = get_configuration(None).unwrap().leptos_options;
    options.site_addr = addr;
    let key = config.data_key.clone();
    let router = server::startup::router(app_pool, options, config);
    let router = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    TestApp {
        base: format!("http://{addr}"),
        pool,
        db,
        key,
    }
}

impl TestApp {
    /// Another instance of the server on the same database, as a second machine would run.
    pub async fn second_instance(&self) -> TestApp {
        serve(self.pool.clone(), test_config(), String::new()).await
    }

    /// Another instance on the same database with a configuration of its own (a new key, say).
    pub async fn second_instance_with(&self, config: Config) -> TestApp {
        serve(self.pool.clone(), config, String::new()).await
    }
}

/// A browser-like client: keeps cookies, sends JSON-accepting requests like the islands do.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl TestApp {
    pub async fn call(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, Value) {
        let res = client
            .post(format!("{}/api/{path}", self.base))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// A multipart form, as the filing form sends it (photos as `photos` parts).
    pub async fn multipart(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, Value) {
        self.multipart_with(client, path, form, &[]).await
    }

    pub async fn multipart_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
        photos: &[(&str, Vec<u8>)],
    ) -> (u16, Value) {
        let mut parts = reqwest::multipart::Form::new();
        for (k, v) in form {
            parts = parts.text(k.to_string(), v.to_string());
        }
        for (name, bytes) in photos {
            parts = parts.part(
                "photos",
                reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()),
            );
        }
        let res = client
            .post(format!("{}/api/{path}", self.base))
            .header("Accept", "application/json")
            .multipart(parts)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// A plain HTML form post, as a browser sends it without JavaScript: the answer redirects.
    pub async fn form_post(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(format!("{}/api/{path}", self.base))
            .header("Accept", "text/html")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A page as a browser asks for it.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client
            .get(format!("{}{path}", self.base))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap()
    }

    /// What a JSON address answers `client` (a key set, a list, an export).
    pub async fn get_json(&self, client: &reqwest::Client, path: &str) -> Value {
        client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// A client signed in as `login` through the real steps: the password, then for staff (or
    /// anyone with a second factor) a code from their key, set up first when they have none.
    pub async fn signed_in(&self, login: &str) -> reqwest::Client {
        let c = client();
        let (status, body) = self
            .call(
                &c,
                "identity/sign_in",
                &[("login", login), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let go = body["Done"]
            .as_str()
            .unwrap_or_else(|| panic!("sign-in of {login} failed: {body}"));
        if go.starts_with("/sign-in/second-step") {
            self.second_step(&c, login).await;
        }
        // Staff appointed by an admin choose their own password before anything else opens
        // (here the same words again, so later sign-ins in the test still use PASSWORD).
        let (_, profile) = self.call(&c, "identity/profile", &[]).await;
        if profile["password_due"] == true {
            let (status, body) = self
                .call(
                    &c,
                    "identity/change_password",
                    &[("current_password", PASSWORD), ("new_password", PASSWORD)],
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
        c
    }

    /// The second step of a waiting sign-in, as an authenticator app would answer it.
    pub async fn second_step(&self, c: &reqwest::Client, login: &str) {
        let (status, view) = self.call(c, "identity/second_step_view", &[]).await;
        assert_eq!(status, 200, "{view}");
        let secret = match view["SetUp"]["key"].as_str() {
            Some(key) => domain::identity::second_factor::secret_from_text(key).unwrap(),
            None => self.secret_of(login).await,
        };
        let code = self.fresh_code(login, &secret).await;
        let (status, body) = self
            .call(c, "identity/second_step", &[("code", code.as_str())])
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("Done").is_some(), "second step of {login}: {body}");
    }

    /// The second-factor key on file for a login (a mobile number or citizen id).
    pub async fn secret_of(&self, login: &str) -> Vec<u8> {
        let (user, sealed): (uuid::Uuid, Vec<u8>) = sqlx::query_as(
            "SELECT u.id, f.secret FROM second_factors f JOIN users u ON u.id = f.user_id
             WHERE u.mobile = $1 OR u.citizen_id = $1",
        )
        .bind(login.replace([' ', '-'], ""))
        .fetch_one(&self.pool)
        .await
        .unwrap();
        let bound_to = [&b"second_factors:"[..], user.as_bytes()].concat();
        self.key
            .open(&sealed, &bound_to)
            .expect("a secret sealed with this instance's data key")
    }

    /// A code of `secret` for a time step this account has not used yet (each is accepted once):
    /// the current step, the next or the last; else wait for a new one.
    pub async fn fresh_code(&self, login: &str, secret: &[u8]) -> String {
        use domain::identity::second_factor::{code_at, STEP_SECONDS};
        loop {
            let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
            let used: Vec<i64> = sqlx::query_scalar(
                "SELECT s.step FROM second_factor_steps s JOIN users u ON u.id = s.user_id
                 WHERE u.mobile = $1 OR u.citizen_id = $1",
            )
            .bind(login.replace([' ', '-'], ""))
            .fetch_all(&self.pool)
            .await
            .unwrap();
            let step = now / STEP_SECONDS;
            // The window is one step either side of the server's: the last step only early in
            // the current one, so it is still in the window when the request arrives.
            let candidates = [
                Some(step),
                Some(step + 1),
                (now % STEP_SECONDS < 20).then(|| step - 1),
            ];
            if let Some(s) = candidates
                .into_iter()
                .flatten()
                .find(|s| !used.contains(&(*s as i64)))
            {
                return code_at(secret, s * STEP_SECONDS);
            }
            tokio::time::sleep(std::time::Duration::from_secs(
                STEP_SECONDS - now % STEP_SECONDS,
            ))
            .await;
        }
    }

    /// The newest one-time code sent by SMS to `mobile`.
    pub async fn last_code(&self, mobile: &str) -> String {
        let body: String = sqlx::query_scalar(
            "SELECT body FROM notifications WHERE channel = 'sms' AND recipient = $1 ORDER BY created_at DESC LIMIT 1",
        )
        .bind(mobile)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        body.chars()
            .filter(|c| c.is_ascii_digit())
            .take(6)
            .collect()
    }
}

/// The field error codes of a FormResult::Invalid answer, as (field, code).
pub fn invalid(body: &Value) -> Vec<(String, String)> {
    body["Invalid"]
        .as_array()
        .unwrap_or_else(|| panic!("expected Invalid, got {body}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
