//! Demo data for grievances: Bhubaneswar's 67 wards, a category tree per department (with the
//! words SMS and email are matched by, and IVRS keypad codes), routes by category and ward, and
//! a ladder of its own for streetlights.

use domain::db::new_id;
use sqlx::PgPool;
use uuid::Uuid;

/// Localities that give each ward its everyday name.
const WARD_NAMES: [&str; 67] = [
    "Patia",
    "Chandrasekharpur",
    "Sailashree Vihar",
    "Damana",
    "Nalco Nagar",
    "Jaydev Vihar",
    "Nayapalli",
    "Gajapati Nagar",
    "Sainik School",
    "Shastri Nagar",
    "Acharya Vihar",
    "Satya Nagar",
    "Saheed Nagar",
    "Bapuji Nagar",
    "Unit-1",
    "Unit-2",
    "Unit-3",
    "Unit-4",
    "Kharavela Nagar",
    "Ashok Nagar",
    "Master Canteen",
    "Station Square",
    "Bomikhal",
    "Rasulgarh",
    "Mancheswar",
    "Palasuni",
    "Kalpana",
    "Old Town",
    "Lingaraj",
    "Bhimatangi",
    "Kapileswar",
    "Laxmisagar",
    "Pokhariput",
    "Jharpada",
    "Sundarpada",
    "Aiginia",
    "Khandagiri",
    "Jagamara",
    "Baramunda",
    "Fire Station Colony",
    "Madhusudan Nagar",
    "Forest Park",
    "Bhoi Nagar",
    "Surya Nagar",
    "Keshari Nagar",
    "VSS Nagar",
    "IRC Village",
    "Jayadev Nagar",
    "Nuagaon",
    "Salia Sahi",
    "Gautam Nagar",
    "Rental Colony",
    "Cuttack Road",
    "Samantarapur",
    "Siripur",
    "Dumduma",
    "Gangapada",
    "Tamando",
    "Kalinga Nagar",
    "Sijua",
    "Patrapada",
    "Ghatikia",
    "Infocity",
    "Raghunathpur",
    "Sampur",
    "Kesura",
    "Naharkanta",
];

/// (slug, parent slug, department code, en, or, hi, anonymous, keypad, keywords)
type CategoryRow = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    Option<&'static str>,
    &'static str,
);

const CATEGORIES: &[CategoryRow] = &[
    (
        "roads",
        None,
        "bmc",
        "Roads and footpaths",
        "ରାସ୍ତା ଓ ଫୁଟପାଥ",
        "सड़क और फुटपाथ",
        false,
        None,
        "",
    ),
    (
        "pothole",
        Some("roads"),
        "bmc",
        "Pothole or damaged road",
        "ଗାତ ବା ଭଙ୍ଗା ରାସ୍ତା",
        "गड्ढा या टूटी सड़क",
        false,
        Some("14"),
        "pothole, damaged road, road broken, गड्ढा, ଗାତ",
    ),
    (
        "footpath-broken",
        Some("roads"),
        "bmc",
        "Broken footpath",
        "ଭଙ୍ଗା ଫୁଟପାଥ",
        "टूटा फुटपाथ",
        false,
        None,
        "footpath, pavement, फुटपाथ",
    ),
    (
        "streetlights",
        None,
        "bmc",
        "Streetlights",
        "ରାସ୍ତା ଆଲୁଅ",
        "स्ट्रीट लाइट",
        false,
        None,
        "",
    ),
    (
        "streetlight-out",
        Some("streetlights"),
        "bmc",
        "Streetlight not working",
        "ରାସ୍ତା ଆଲୁଅ ଜଳୁନାହିଁ",
        "स्ट्रीट लाइट बंद",
        false,
        Some("11"),
        "streetlight, street light, lamp post, light not working, बत्ती, स्ट्रीट लाइट, ଆଲୁଅ",
    ),
    (
        "sanitation",
        None,
        "bmc",
        "Sanitation",
        "ପରିମଳ",
        "स्वच्छता",
        false,
        None,
        "",
    ),
    (
        "garbage-not-collected",
        Some("sanitation"),
        "bmc",
        "Garbage not collected",
        "ଅଳିଆ ଉଠାଯାଇନାହିଁ",
        "कचरा नहीं उठाया गया",
        false,
        Some("12"),
        "garbage, waste, dustbin, trash, rubbish, कचरा, कूड़ा, ଅଳିଆ",
    ),
    (
        "dead-animal",
        Some("sanitation"),
        "bmc",
        "Dead animal to remove",
        "ମୃତ ପଶୁ ହଟାଇବା",
        "मृत पशु हटाना",
        false,
        None,
        "dead animal, dead dog, dead cow, carcass, मरा हुआ",
    ),
    (
        "public-toilet",
        Some("sanitation"),
        "bmc",
        "Public toilet dirty or closed",
        "ସାର୍ବଜନୀନ ଶୌଚାଳୟ ଅପରିଷ୍କାର",
        "सार्वजनिक शौचालय गंदा",
        false,
        None,
        "toilet, urinal, शौचालय",
    ),
    (
        "drainage",
        None,
        "bmc",
        "Drains and waterlogging",
        "ନାଳ ଓ ଜଳଜମା",
        "नाली और जलभराव",
        false,
        None,
        "",
    ),
    (
        "drain-blocked",
        Some("drainage"),
        "bmc",
        "Drain blocked or overflowing",
        "ନାଳ ବନ୍ଦ ବା ଉଛୁଳୁଛି",
        "नाली जाम या उफान",
        false,
        Some("13"),
        "drain, nala, blocked drain, overflowing drain, नाली, ନାଳ",
    ),
    (
        "waterlogging",
        Some("drainage"),
        "bmc",
        "Waterlogging after rain",
        "ବର୍ଷା ପରେ ଜଳଜମା",
        "बारिश के बाद जलभराव",
        false,
        None,
        "waterlogging, water logging, flooded, जलभराव",
    ),
    (
        "buildings",
        None,
        "bmc",
        "Buildings and encroachment",
        "କୋଠା ଓ ଜବରଦଖଲ",
        "भवन और अतिक्रमण",
        false,
        None,
        "",
    ),
    (
        "illegal-construction",
        Some("buildings"),
        "bmc",
        "Illegal construction",
        "ବେଆଇନ ନିର୍ମାଣ",
        "अवैध निर्माण",
        true,
        None,
        "illegal construction, unauthorised building, अवैध निर्माण",
    ),
    (
        "encroachment",
        Some("buildings"),
        "bmc",
        "Encroachment on road or footpath",
        "ରାସ୍ତା ବା ଫୁଟପାଥ ଜବରଦଖଲ",
        "सड़क या फुटपाथ पर अतिक्रमण",
        true,
        None,
        "encroachment, hawker, अतिक्रमण",
    ),
    (
        "animals",
        None,
        "bmc",
        "Stray animals",
        "ବୁଲା ପଶୁ",
        "आवारा पशु",
        false,
        None,
        "",
    ),
    (
        "stray-dogs",
        Some("animals"),
        "bmc",
        "Stray dogs",
        "ବୁଲା କୁକୁର",
        "आवारा कुत्ते",
        false,
        None,
        "stray dog, dog bite, dogs, कुत्ते, କୁକୁର",
    ),
    (
        "other",
        None,
        "bmc",
        "Other",
        "ଅନ୍ୟାନ୍ୟ",
        "अन्य",
        false,
        None,
        "",
    ),
    (
        "other-civic-problem",
        Some("other"),
        "bmc",
        "Other civic problem",
        "ଅନ୍ୟ ନାଗରିକ ସମସ୍ୟା",
        "अन्य नागरिक समस्या",
        false,
        Some("19"),
        "",
    ),
    (
        "water-supply",
        None,
        "watco",
        "Water supply",
        "ଜଳ ଯୋଗାଣ",
        "जल आपूर्ति",
        false,
        None,
        "",
    ),
    (
        "no-water",
        Some("water-supply"),
        "watco",
        "No water supply",
        "ପାଣି ଆସୁନାହିଁ",
        "पानी नहीं आ रहा",
        false,
        Some("21"),
        "no water, water supply, tap dry, पानी नहीं, ପାଣି ଆସୁନାହିଁ, ପାଣି",
    ),
    (
        "dirty-water",
        Some("water-supply"),
        "watco",
        "Dirty or smelly water",
        "ମଇଳା ପାଣି",
        "गंदा पानी",
        false,
        Some("22"),
        "dirty water, muddy water, smelly water, contaminated, गंदा पानी, ମଇଳା ପାଣି",
    ),
    (
        "pipe-leak",
        Some("water-supply"),
        "watco",
        "Water pipe leaking",
        "ପାଣି ପାଇପ୍ ଲିକ୍",
        "पानी की पाइप लीक",
        false,
        Some("23"),
        "leak, leaking pipe, pipe burst, पाइप, लीक",
    ),
    (
        "sewerage",
        None,
        "watco",
        "Sewerage",
        "ସ୍ୱରେଜ",
        "सीवरेज",
        false,
        None,
        "",
    ),
    (
        "sewer-overflow",
        Some("sewerage"),
        "watco",
        "Sewer overflowing",
        "ସ୍ୱରେଜ ଉଛୁଳୁଛି",
        "सीवर उफान पर",
        false,
        Some("24"),
        "sewer, sewage, manhole, सीवर",
    ),
    (
        "electricity",
        None,
        "tpcodl",
        "Electricity",
        "ବିଦ୍ୟୁତ",
        "बिजली",
        false,
        None,
        "",
    ),
    (
        "power-outage",
        Some("electricity"),
        "tpcodl",
        "No power",
        "ବିଦ୍ୟୁତ ନାହିଁ",
        "बिजली नहीं",
        false,
        Some("31"),
        "power cut, no power, no electricity, outage, बिजली नहीं, ବିଦ୍ୟୁତ ନାହିଁ",
    ),
    (
        "dangling-wire",
        Some("electricity"),
        "tpcodl",
        "Dangerous or dangling wire",
        "ବିପଜ୍ଜନକ ତାର",
        "लटकता खतरनाक तार",
        false,
        Some("32"),
        "wire, dangling, sparking, transformer, तार",
    ),
    (
        "public-safety",
        None,
        "police",
        "Public nuisance",
        "ସାର୍ବଜନୀନ ଅସୁବିଧା",
        "सार्वजनिक उपद्रव",
        false,
        None,
        "",
    ),
    (
        "noise",
        Some("public-safety"),
        "police",
        "Noise nuisance",
        "ଶବ୍ଦ ପ୍ରଦୂଷଣ",
        "ध्वनि प्रदूषण",
        true,
        Some("41"),
        "noise, loudspeaker, dj, शोर, ଶବ୍ଦ",
    ),
    (
        "parks",
        None,
        "bda",
        "Parks and open spaces",
        "ପାର୍କ ଓ ଖୋଲା ସ୍ଥାନ",
        "पार्क और खुली जगह",
        false,
        None,
        "",
    ),
    (
        "park-upkeep",
        Some("parks"),
        "bda",
        "Park not maintained",
        "ପାର୍କ ରକ୍ଷଣାବେକ୍ଷଣ ହେଉନାହିଁ",
        "पार्क की देखभाल नहीं",
        false,
        None,
        "park, garden, पार्क",
    ),
    (
        "buses",
        None,
        "crut",
        "City buses (Mo Bus)",
        "ସହର ବସ୍ (ମୋ ବସ୍)",
        "शहरी बस (मो बस)",
        false,
        None,
        "",
    ),
    (
        "bus-service",
        Some("buses"),
        "crut",
        "Bus service complaint",
        "ବସ୍ ସେବା ଅଭିଯୋଗ",
        "बस सेवा शिकायत",
        false,
        Some("51"),
        "bus, mo bus, conductor, bus stop, बस",
    ),
];

/// Officials the routes name: (name, mobile, department, role).
pub const GRIEVANCE_STAFF: [(&str, &str, &str, &str); 3] = [
    ("Eshan Pradhan", "9000000005", "watco", "official"),
    ("Gita Behera", "9000000006", "tpcodl", "official"),
    ("Farida Begum", "9000000007", "bmc", "official"),
];

pub async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    for (i, name) in WARD_NAMES.iter().enumerate() {
        sqlx::query("INSERT INTO wards (number, name) VALUES ($1, $2) ON CONFLICT (number) DO UPDATE SET name = EXCLUDED.name")
            .bind(i as i32 + 1)
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    for (position, (slug, parent, dept, en, or, hi, anonymous, keypad, keywords)) in
        CATEGORIES.iter().enumerate()
    {
        let parent_id: Option<Uuid> = match parent {
            Some(p) => {
                sqlx::query_scalar("SELECT id FROM grievance_categories WHERE slug = $1")
                    .bind(p)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => None,
        };
        sqlx::query(
            "INSERT INTO grievance_categories (id, slug, parent_id, department_id, name_en, name_or, name_hi,
                 allows_anonymous, keypad, keywords, position)
             SELECT $1, $2, $3, d.id, $5, $6, $7, $8, $9, $10, $11 FROM departments d WHERE d.code = $4
             ON CONFLICT (slug) DO UPDATE SET parent_id = EXCLUDED.parent_id, department_id = EXCLUDED.department_id,
                 name_en = EXCLUDED.name_en, name_or = EXCLUDED.name_or, name_hi = EXCLUDED.name_hi,
                 allows_anonymous = EXCLUDED.allows_anonymous, keypad = EXCLUDED.keypad,
                 keywords = EXCLUDED.keywords, position = EXCLUDED.position",
        )
        .bind(new_id())
        .bind(slug)
        .bind(parent_id)
        .bind(dept)
        .bind(en)
        .bind(or)
        .bind(hi)
        .bind(anonymous)
        .bind(keypad)
        .bind(keywords)
        .bind(position as i32)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Routes and the streetlight ladder, once the staff they name exist.
pub async fn seed_routes(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    // (category slug, ward, official's mobile): the whole city unless a ward is given.
    let routes: &[(&str, Option<i32>, &str)] = &[
        ("roads", None, "9000000003"),
        ("streetlights", None, "9000000003"),
        ("sanitation", None, "9000000003"),
        ("drainage", None, "9000000003"),
        ("buildings", None, "9000000003"),
        ("animals", None, "9000000003"),
        ("other", None, "9000000003"),
        ("water-supply", None, "9000000005"),
        ("sewerage", None, "9000000005"),
        ("electricity", None, "9000000006"),
    ];
    let mut all: Vec<(&str, Option<i32>, &str)> = routes.to_vec();
    // Wards 1–10 have their own sanitation officer.
    for ward in 1..=10 {
        all.push(("sanitation", Some(ward), "9000000007"));
    }
    for (slug, ward, mobile) in all {
        sqlx::query(
            "INSERT INTO grievance_routes (id, category_id, ward_number, official_id)
             SELECT $1, c.id, $3, u.id FROM grievance_categories c, users u WHERE c.slug = $2 AND u.mobile = $4
             ON CONFLICT (category_id, COALESCE(ward_number, 0)) DO UPDATE SET official_id = EXCLUDED.official_id",
        )
        .bind(new_id())
        .bind(slug)
        .bind(ward)
        .bind(mobile)
        .execute(&mut *tx)
        .await?;
    }
    // Streetlights: two days for the official, then one for the department admin, one for the city.
    let ladder = [
        (1, "routed", 48, 75),
        (2, "department_admin", 24, 50),
        (3, "city_admin", 24, 50),
    ];
    for (level, assignee, hours, warn) in ladder {
        sqlx::query(
            "INSERT INTO escalation_levels (category_id, level, assignee, hours, warn_percent)
             SELECT id, $2, $3, $4, $5 FROM grievance_categories WHERE slug = $1
             ON CONFLICT (category_id, level) DO UPDATE SET assignee = EXCLUDED.assignee, hours = EXCLUDED.hours,
                 warn_percent = EXCLUDED.warn_percent",
        )
        .bind("streetlights")
        .bind(level)
        .bind(assignee)
        .bind(hours)
        .bind(warn)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
