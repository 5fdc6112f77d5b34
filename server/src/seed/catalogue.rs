//! The catalogue's demo offices and topics: Bhubaneswar's departments and agencies, the
//! categories and life events services are browsed by, and the synonyms search reads ("light
//! bill" → "electricity bill"), each named in English, Odia and Hindi.

use super::Tx;
use domain::db::new_id;
use sqlx::PgPool;
use uuid::Uuid;

/// (code, agency?, English, Odia, Hindi, English description)
const DEPARTMENTS: &[(&str, bool, &str, &str, &str, &str)] = &[
    ("bmc", false, "Bhubaneswar Municipal Corporation", "ଭୁବନେଶ୍ୱର ମହାନଗର ନିଗମ", "भुवनेश्वर नगर निगम", "Holding tax, trade licences, certificates, sanitation, streetlights and community halls."),
    ("bda", false, "Bhubaneswar Development Authority", "ଭୁବନେଶ୍ୱର ଉନ୍ନୟନ କର୍ତ୍ତୃପକ୍ଷ", "भुवनेश्वर विकास प्राधिकरण", "Building plans, occupancy and land use certificates, BDA parks and auditoriums."),
    ("crut", false, "Capital Region Urban Transport", "କ୍ୟାପିଟାଲ ରିଜନ ଅର୍ବାନ ଟ୍ରାନ୍ସପୋର୍ଟ", "कैपिटल रीजन अर्बन ट्रांसपोर्ट", "Mo Bus passes, Mo Cycle, routes and lost and found."),
    ("bscl", false, "Bhubaneswar Smart City Ltd", "ଭୁବନେଶ୍ୱର ସ୍ମାର୍ଟ ସିଟି ଲିମିଟେଡ୍", "भुवनेश्वर स्मार्ट सिटी लिमिटेड", "Smart parking, public Wi-Fi, kiosks and the Operations Centre."),
    ("police", true, "Odisha Police", "ଓଡ଼ିଶା ପୋଲିସ", "ओडिशा पुलिस", "Verification of tenants and employees, character certificates, lost articles and event permissions."),
    ("tpcodl", true, "TP Central Odisha Distribution Ltd", "ଟିପି ସେଣ୍ଟ୍ରାଲ ଓଡ଼ିଶା ଡିଷ୍ଟ୍ରିବ୍ୟୁସନ ଲିମିଟେଡ୍", "टीपी सेंट्रल ओडिशा डिस्ट्रीब्यूशन लिमिटेड", "Electricity bills, new connections and outage complaints."),
    ("watco", true, "Water Corporation of Odisha", "ୱାଟର କର୍ପୋରେସନ ଅଫ୍ ଓଡ଼ିଶା", "वाटर कॉर्पोरेशन ऑफ ओडिशा", "Water bills, new water and sewerage connections."),
    ("rto", true, "Regional Transport Office, Bhubaneswar", "ଆଞ୍ଚଳିକ ପରିବହନ କାର୍ଯ୍ୟାଳୟ, ଭୁବନେଶ୍ୱର", "क्षेत्रीय परिवहन कार्यालय, भुवनेश्वर", "Driving licences and vehicle registration."),
    ("passport", true, "Passport Seva", "ପାସପୋର୍ଟ ସେବା", "पासपोर्ट सेवा", "Guidance for passport applications at the Bhubaneswar Passport Seva Kendra."),
];

/// (slug, icon, English, Odia, Hindi)
pub(super) const CATEGORIES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "bills-and-taxes",
        "₹",
        "Bills and taxes",
        "ବିଲ୍ ଓ କର",
        "बिल और कर",
    ),
    ("certificates", "📜", "Certificates", "ପ୍ରମାଣପତ୍ର", "प्रमाण पत्र"),
    (
        "licences-and-permits",
        "🪪",
        "Licences and permits",
        "ଲାଇସେନ୍ସ ଓ ଅନୁମତି",
        "लाइसेंस और अनुमति",
    ),
    (
        "buildings-and-land",
        "🏗",
        "Buildings and land",
        "ଗୃହ ଓ ଜମି",
        "भवन और भूमि",
    ),
    (
        "utilities",
        "💡",
        "Water and electricity",
        "ଜଳ ଓ ବିଦ୍ୟୁତ",
        "पानी और बिजली",
    ),
    ("transport", "🚌", "Transport", "ପରିବହନ", "परिवहन"),
    (
        "bookings",
        "🏛",
        "Halls and facilities",
        "ହଲ୍ ଓ ସୁବିଧା",
        "हॉल और सुविधाएँ",
    ),
    ("complaints", "📣", "Complaints", "ଅଭିଯୋଗ", "शिकायतें"),
    (
        "police-and-safety",
        "🛡",
        "Police and safety",
        "ପୋଲିସ ଓ ସୁରକ୍ଷା",
        "पुलिस और सुरक्षा",
    ),
];

/// (slug, icon, English, Odia, Hindi, English description)
const LIFE_EVENTS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "new-baby",
        "👶",
        "A new baby",
        "ନୂଆ ଶିଶୁ",
        "नया शिशु",
        "Register the birth and get the certificate.",
    ),
    (
        "moving-house",
        "🏠",
        "Moving house",
        "ଘର ବଦଳ",
        "घर बदलना",
        "Water, electricity, tenant verification and holding tax at your new address.",
    ),
    (
        "starting-a-shop",
        "🏪",
        "Starting a shop",
        "ଦୋକାନ ଆରମ୍ଭ",
        "दुकान शुरू करना",
        "Trade licence, signboard and connections for a business.",
    ),
    (
        "building-a-home",
        "🧱",
        "Building a home",
        "ଘର ତିଆରି",
        "घर बनाना",
        "Plan approval, occupancy certificate and connections.",
    ),
    (
        "getting-married",
        "💍",
        "Getting married",
        "ବିବାହ",
        "विवाह",
        "Book a kalyan mandap and register the marriage.",
    ),
    (
        "loss-in-the-family",
        "🕯",
        "A death in the family",
        "ପରିବାରରେ ମୃତ୍ୟୁ",
        "परिवार में मृत्यु",
        "Death certificate and what follows.",
    ),
    (
        "turning-sixty",
        "🧓",
        "Turning sixty",
        "ଷାଠିଏ ବର୍ଷ",
        "साठ वर्ष",
        "Senior citizen concessions.",
    ),
];

const SYNONYMS: &[(&str, &str)] = &[
    ("light bill", "electricity bill"),
    ("current bill", "electricity bill"),
    ("bijli", "electricity"),
    ("bijli bill", "electricity bill"),
    ("बिजली", "electricity"),
    ("ବିଜୁଳି", "electricity"),
    ("paani", "water"),
    ("pani", "water"),
    ("पानी", "water"),
    ("ପାଣି", "water"),
    ("house tax", "holding tax"),
    ("property tax", "holding tax"),
    ("shop licence", "trade licence"),
    ("shop license", "trade licence"),
    ("license", "licence"),
    ("marriage hall", "kalyan mandap"),
    ("community hall", "kalyan mandap"),
    ("dl", "driving licence"),
    ("rc", "vehicle registration"),
    ("bus pass", "mo bus pass"),
];

/// Inserts or updates the names (and descriptions, where the table has them) of one row of a
/// catalogue table in the three languages. Table names are this file's constants, never input.
async fn upsert_names(
    tx: &mut Tx<'_>,
    table: &str,
    key: &str,
    id: Uuid,
    names: [(&str, &str, &str); 3],
) -> anyhow::Result<()> {
    let with_description = table != "category_translations";
    for (locale, name, description) in names {
        let sql = if with_description {
            format!(
                "INSERT INTO {table} ({key}, locale, name, description) VALUES ($1, $2, $3, $4)
                 ON CONFLICT ({key}, locale) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description"
            )
        } else {
            format!(
                "INSERT INTO {table} ({key}, locale, name) VALUES ($1, $2, $3)
                 ON CONFLICT ({key}, locale) DO UPDATE SET name = EXCLUDED.name"
            )
        };
        let query = sqlx::query(&sql).bind(id).bind(locale).bind(name);
        let query = if with_description {
            query.bind(description)
        } else {
            query
        };
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A category or life event: slug, icon, place in the list.
async fn upsert_topic(
    tx: &mut Tx<'_>,
    table: &str,
    slug: &str,
    icon: &str,
    position: usize,
) -> anyhow::Result<Uuid> {
    let id = sqlx::query_scalar(&format!(
        "INSERT INTO {table} (id, slug, icon, position) VALUES ($1, $2, $3, $4)
         ON CONFLICT (slug) DO UPDATE SET icon = EXCLUDED.icon, position = EXCLUDED.position RETURNING id"
    ))
    .bind(new_id())
    .bind(slug)
    .bind(icon)
    .bind(position as i32)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Departments, categories, life events and search synonyms, in one transaction.
pub(super) async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    for (code, agency, en, or, hi, description) in DEPARTMENTS {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO departments (id, code, is_agency) VALUES ($1, $2, $3)
             ON CONFLICT (code) DO UPDATE SET is_agency = EXCLUDED.is_agency RETURNING id",
        )
        .bind(new_id())
        .bind(code)
        .bind(agency)
        .fetch_one(&mut *tx)
        .await?;
        upsert_names(
            &mut tx,
            "department_translations",
            "department_id",
            id,
            [("en", en, description), ("or", or, ""), ("hi", hi, "")],
        )
        .await?;
    }
    for (i, (slug, icon, en, or, hi)) in CATEGORIES.iter().enumerate() {
        let id = upsert_topic(&mut tx, "categories", slug, icon, i).await?;
        upsert_names(
            &mut tx,
            "category_translations",
            "category_id",
            id,
            [("en", en, ""), ("or", or, ""), ("hi", hi, "")],
        )
        .await?;
    }
    for (i, (slug, icon, en, or, hi, description)) in LIFE_EVENTS.iter().enumerate() {
        let id = upsert_topic(&mut tx, "life_events", slug, icon, i).await?;
        upsert_names(
            &mut tx,
            "life_event_translations",
            "life_event_id",
            id,
            [("en", en, description), ("or", or, ""), ("hi", hi, "")],
        )
        .await?;
    }
    for (phrase, means) in SYNONYMS {
        sqlx::query("INSERT INTO search_synonyms (phrase, means) VALUES ($1, $2) ON CONFLICT (phrase) DO UPDATE SET means = EXCLUDED.means")
            .bind(phrase)
            .bind(means)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
