//! The demo city's facilities to book: BMC's kalyan mandaps, the BDA auditorium and a BDA park,
//! each with its day's slots, fee, deposit and cancellation rules.

use sqlx::PgPool;

struct Demo {
    slug: &'static str,
    department: &'static str,
    kind: &'static str,
    name: [&'static str; 3],
    address: &'static str,
    ward: i16,
    capacity: i32,
    fee_paise: i64,
    deposit_paise: i64,
    rules: [&'static str; 3],
    slots: &'static str,
}

const HALL_RULES: [&str; 3] = [
    "No loud music after 10 pm. The hall is handed back clean; the deposit comes back after the booking if nothing is damaged. Cancelled 7 days ahead or more: the fee back in full; 2 to 6 days: half; later: none.",
    "ରାତି ୧୦ଟା ପରେ ଉଚ୍ଚ ସଙ୍ଗୀତ ନାହିଁ। ହଲ୍ ସଫା କରି ଫେରାଇବେ; କିଛି କ୍ଷତି ନହେଲେ ଜମା ରାଶି ଫେରସ୍ତ। ୭ ଦିନ ବା ଅଧିକ ପୂର୍ବରୁ ବାତିଲ: ପୂରା ଫି ଫେରସ୍ତ; ୨ରୁ ୬ ଦିନ: ଅଧା; ପରେ: ନାହିଁ।",
    "रात 10 बजे के बाद तेज़ संगीत नहीं। हॉल साफ़ लौटाएँ; कोई नुकसान न हो तो जमा राशि वापस। 7 दिन या पहले रद्द: पूरा शुल्क वापस; 2 से 6 दिन: आधा; बाद में: नहीं।",
];

const DEMO: [Demo; 4] = [
    Demo {
        slug: "saheed-nagar-kalyan-mandap",
        department: "bmc",
        kind: "hall",
        name: ["Saheed Nagar Kalyan Mandap", "ସହିଦ ନଗର କଲ୍ୟାଣ ମଣ୍ଡପ", "शहीद नगर कल्याण मंडप"],
        address: "Near Ram Mandir, Saheed Nagar, Bhubaneswar",
        ward: 29,
        capacity: 400,
        fee_paise: 1_500_000,
        deposit_paise: 500_000,
        rules: HALL_RULES,
        slots: "[[540, 840], [1020, 1380]]",
    },
    Demo {
        slug: "old-town-kalyan-mandap",
        department: "bmc",
        kind: "hall",
        name: ["Old Town Kalyan Mandap", "ପୁରୁଣା ସହର କଲ୍ୟାଣ ମଣ୍ଡପ", "ओल्ड टाउन कल्याण मंडप"],
        address: "Lingaraj Road, Old Town, Bhubaneswar",
        ward: 41,
        capacity: 250,
        fee_paise: 1_000_000,
        deposit_paise: 300_000,
        rules: HALL_RULES,
        slots: "[[540, 840], [1020, 1380]]",
    },
    Demo {
        slug: "bda-auditorium",
        department: "bda",
        kind: "auditorium",
        name: ["BDA Auditorium, Jaydev Vihar", "BDA ପ୍ରେକ୍ଷାଳୟ, ଜୟଦେବ ବିହାର", "BDA सभागार, जयदेव विहार"],
        address: "Jaydev Vihar, Bhubaneswar",
        ward: 18,
        capacity: 600,
        fee_paise: 2_500_000,
        deposit_paise: 1_000_000,
        rules: [
            "Events end by 10 pm. Cancelled 14 days ahead or more: the fee back in full; 3 to 13 days: half; later: none. The deposit always comes back.",
            "ରାତି ୧୦ଟା ସୁଦ୍ଧା କାର୍ଯ୍ୟକ୍ରମ ଶେଷ। ୧୪ ଦିନ ବା ଅଧିକ ପୂର୍ବରୁ ବାତିଲ: ପୂରା ଫି ଫେରସ୍ତ; ୩ରୁ ୧୩ ଦିନ: ଅଧା; ପରେ: ନାହିଁ। ଜମା ରାଶି ସବୁବେଳେ ଫେରସ୍ତ।",
            "कार्यक्रम रात 10 बजे तक समाप्त। 14 दिन या पहले रद्द: पूरा शुल्क वापस; 3 से 13 दिन: आधा; बाद में: नहीं। जमा राशि हमेशा वापस।",
        ],
        slots: "[[540, 780], [840, 1080], [1110, 1320]]",
    },
    Demo {
        slug: "ekamra-kanan-lawn",
        department: "bda",
        kind: "park",
        name: ["Ekamra Kanan, events lawn", "ଏକାମ୍ର କାନନ, କାର୍ଯ୍ୟକ୍ରମ ଲନ୍", "एकाम्र कानन, कार्यक्रम लॉन"],
        address: "Nayapalli, Bhubaneswar",
        ward: 9,
        capacity: 300,
        fee_paise: 300_000,
        deposit_paise: 0,
        rules: [
            "Daytime events only; nothing fixed to the ground. Cancelled 7 days ahead or more: the fee back in full; 2 to 6 days: half; later: none.",
            "କେବଳ ଦିନ ବେଳର କାର୍ଯ୍ୟକ୍ରମ; ଭୂମିରେ କିଛି ଲଗାଇବେ ନାହିଁ। ୭ ଦିନ ବା ଅଧିକ ପୂର୍ବରୁ ବାତିଲ: ପୂରା ଫି ଫେରସ୍ତ; ୨ରୁ ୬ ଦିନ: ଅଧା; ପରେ: ନାହିଁ।",
            "केवल दिन के कार्यक्रम; ज़मीन में कुछ न गाड़ें। 7 दिन या पहले रद्द: पूरा शुल्क वापस; 2 से 6 दिन: आधा; बाद में: नहीं।",
        ],
        slots: "[[420, 720], [780, 1080]]",
    },
];

pub(super) async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    for d in DEMO {
        let department = domain::departments::store::id_by_code(pool, d.department)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no department {}", d.department))?;
        let (full, half) = if d.kind == "auditorium" {
            (14, 3)
        } else {
            (7, 2)
        };
        sqlx::query(
            "INSERT INTO facilities (id, slug, department_id, kind, name_en, name_or, name_hi, address,
                 ward, capacity, fee_paise, deposit_paise, rules_en, rules_or, rules_hi, slots,
                 full_refund_days, half_refund_days)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17, $18)
             ON CONFLICT (slug) DO UPDATE SET name_en = EXCLUDED.name_en, name_or = EXCLUDED.name_or,
                 name_hi = EXCLUDED.name_hi, fee_paise = EXCLUDED.fee_paise,
                 deposit_paise = EXCLUDED.deposit_paise, rules_en = EXCLUDED.rules_en,
                 rules_or = EXCLUDED.rules_or, rules_hi = EXCLUDED.rules_hi, slots = EXCLUDED.slots",
        )
        .bind(domain::db::new_id())
        .bind(d.slug)
        .bind(department)
        .bind(d.kind)
        .bind(d.name[0])
        .bind(d.name[1])
        .bind(d.name[2])
        .bind(d.address)
        .bind(d.ward)
        .bind(d.capacity)
        .bind(d.fee_paise)
        .bind(d.deposit_paise)
        .bind(d.rules[0])
        .bind(d.rules[1])
        .bind(d.rules[2])
        .bind(d.slots)
        .bind(full)
        .bind(half)
        .execute(pool)
        .await?;
    }
    Ok(())
}
