//! The demo services' application forms: birth certificate, new trade licence, marriage
//! registration, tenant verification and a new water connection, in three languages. A service
//! that has a form keeps it (a department's edits are new versions, never replaced here).

use domain::applications::form::{Choice, Fee, FeePart, Field, FieldKind, Form, ShownWhen, Words};
use domain::certificates::{Issues, Kind};
use domain::money::Paise;
use sqlx::PgPool;

fn w(en: &str, or: &str, hi: &str) -> Words {
    Words {
        en: en.into(),
        or: or.into(),
        hi: hi.into(),
    }
}

fn field(key: &str, label: Words, kind: FieldKind, required: bool) -> Field {
    Field {
        key: key.into(),
        label,
        help: Words::default(),
        kind,
        required,
        shown_when: None,
        on_certificate: false,
    }
}

/// A question whose answer the certificate states.
fn on_certificate(mut f: Field) -> Field {
    f.on_certificate = true;
    f
}

fn when(mut f: Field, earlier: &str, any_of: &[&str]) -> Field {
    f.shown_when = Some(ShownWhen {
        field: earlier.into(),
        any_of: any_of.iter().map(|s| s.to_string()).collect(),
    });
    f
}

fn text(max_chars: u16) -> FieldKind {
    FieldKind::Text { max_chars }
}

fn document(kind: &str) -> FieldKind {
    FieldKind::Document {
        document: kind.into(),
    }
}

fn choice(options: &[(&str, Words)]) -> FieldKind {
    FieldKind::Choice {
        options: options
            .iter()
            .map(|(key, label)| Choice {
                key: key.to_string(),
                label: label.clone(),
            })
            .collect(),
    }
}

fn name_field(key: &str, label: Words, required: bool) -> Field {
    field(key, label, text(100), required)
}

fn birth_certificate() -> Form {
    Form {
        fields: vec![
            on_certificate(name_field(
                "child_name",
                w("Child's name", "ଶିଶୁର ନାମ", "बच्चे का नाम"),
                true,
            )),
            on_certificate(field(
                "date_of_birth",
                w("Date of birth", "ଜନ୍ମ ତାରିଖ", "जन्म तिथि"),
                FieldKind::PastDate,
                true,
            )),
            on_certificate(field(
                "place_of_birth",
                w("Place of birth", "ଜନ୍ମ ସ୍ଥାନ", "जन्म स्थान"),
                choice(&[
                    ("hospital", w("A hospital", "ହସ୍ପିଟାଲ", "अस्पताल")),
                    ("home", w("At home", "ଘରେ", "घर पर")),
                ]),
                true,
            )),
            when(
                on_certificate(field(
                    "hospital_name",
                    w("Hospital's name", "ହସ୍ପିଟାଲର ନାମ", "अस्पताल का नाम"),
                    text(150),
                    true,
                )),
                "place_of_birth",
                &["hospital"],
            ),
            when(
                field(
                    "discharge_slip",
                    w(
                        "Hospital discharge slip",
                        "ହସ୍ପିଟାଲ ଡିସଚାର୍ଜ ସ୍ଲିପ",
                        "अस्पताल की डिस्चार्ज पर्ची",
                    ),
                    document("hospital_discharge"),
                    true,
                ),
                "place_of_birth",
                &["hospital"],
            ),
            on_certificate(name_field(
                "mother_name",
                w("Mother's name", "ମାଆଙ୍କ ନାମ", "माँ का नाम"),
                true,
            )),
            on_certificate(name_field(
                "father_name",
                w("Father's name", "ବାପାଙ୍କ ନାମ", "पिता का नाम"),
                false,
            )),
            field(
                "address",
                w("Parents' address", "ବାପାମାଆଙ୍କ ଠିକଣା", "माता-पिता का पता"),
                FieldKind::Address,
                true,
            ),
        ],
        fee: Fee::default(),
        working_days: 7,
        certificate: Some(Issues {
            kind: Kind::Birth,
            valid_days: None,
        }),
    }
}

fn trade_licence() -> Form {
    Form {
        fields: vec![
            on_certificate(name_field(
                "business_name",
                w("Name of the business", "ବ୍ୟବସାୟର ନାମ", "व्यवसाय का नाम"),
                true,
            )),
            on_certificate(field(
                "trade",
                w("Trade", "ବ୍ୟବସାୟର ପ୍ରକାର", "व्यापार"),
                choice(&[
                    (
                        "eatery",
                        w(
                            "Eatery or tiffin stall",
                            "ଖାଦ୍ୟ ଦୋକାନ ବା ଟିଫିନ ଷ୍ଟଲ",
                            "भोजनालय या टिफ़िन स्टॉल",
                        ),
                    ),
                    ("grocery", w("Grocery", "କିରାଣା ଦୋକାନ", "किराना")),
                    ("tailoring", w("Tailoring", "ଦରଜି", "सिलाई")),
                    ("salon", w("Salon", "ସେଲୁନ", "सैलून")),
                    (
                        "hardware",
                        w(
                            "Hardware and building material",
                            "ହାର୍ଡୱେର ଓ ନିର୍ମାଣ ସାମଗ୍ରୀ",
                            "हार्डवेयर और निर्माण सामग्री",
                        ),
                    ),
                ]),
                true,
            )),
            on_certificate(field(
                "area_sq_m",
                w(
                    "Shop's floor area (square metres)",
                    "ଦୋକାନର କ୍ଷେତ୍ରଫଳ (ବର୍ଗ ମିଟର)",
                    "दुकान का क्षेत्रफल (वर्ग मीटर)",
                ),
                FieldKind::Number {
                    min: 1,
                    max: 10_000,
                },
                true,
            )),
            when(
                field(
                    "fssai",
                    w(
                        "Food safety (FSSAI) registration",
                        "ଖାଦ୍ୟ ସୁରକ୍ଷା (FSSAI) ପଞ୍ଜୀକରଣ",
                        "खाद्य सुरक्षा (FSSAI) पंजीकरण",
                    ),
                    document("fssai_registration"),
                    true,
                ),
                "trade",
                &["eatery", "grocery"],
            ),
            field(
                "rented",
                w(
                    "Is the shop rented?",
                    "ଦୋକାନ ଭଡ଼ାରେ କି?",
                    "क्या दुकान किराए पर है?",
                ),
                FieldKind::YesNo,
                true,
            ),
            when(
                field(
                    "owner_consent",
                    w(
                        "Owner's consent letter",
                        "ମାଲିକଙ୍କ ସମ୍ମତି ପତ୍ର",
                        "मालिक का सहमति पत्र",
                    ),
                    document("owner_consent"),
                    true,
                ),
                "rented",
                &["yes"],
            ),
            on_certificate(field(
                "address",
                w("Shop's address", "ଦୋକାନର ଠିକଣା", "दुकान का पता"),
                FieldKind::Address,
                true,
            )),
        ],
        fee: Fee {
            base: Paise(100_000),
            parts: vec![
                FeePart::Choice {
                    field: "trade".into(),
                    amounts: [
                        ("eatery".to_string(), Paise(100_000)),
                        ("hardware".to_string(), Paise(50_000)),
                    ]
                    .into(),
                },
                FeePart::PerUnit {
                    field: "area_sq_m".into(),
                    per_unit: Paise(1_000),
                    free: 20,
                },
            ],
        },
        working_days: 15,
        certificate: Some(Issues {
            kind: Kind::TradeLicence,
            valid_days: Some(365),
        }),
    }
}

fn marriage_registration() -> Form {
    Form {
        fields: vec![
            on_certificate(name_field(
                "groom_name",
                w("Groom's name", "ବରଙ୍କ ନାମ", "वर का नाम"),
                true,
            )),
            field(
                "groom_id",
                w("Groom's Aadhaar card", "ବରଙ୍କ ଆଧାର କାର୍ଡ", "वर का आधार कार्ड"),
                document("aadhaar"),
                true,
            ),
            on_certificate(name_field(
                "bride_name",
                w("Bride's name", "କନ୍ୟାଙ୍କ ନାମ", "वधू का नाम"),
                true,
            )),
            field(
                "bride_id",
                w("Bride's Aadhaar card", "କନ୍ୟାଙ୍କ ଆଧାର କାର୍ଡ", "वधू का आधार कार्ड"),
                document("aadhaar"),
                true,
            ),
            on_certificate(field(
                "marriage_date",
                w("Date of the marriage", "ବିବାହର ତାରିଖ", "विवाह की तिथि"),
                FieldKind::PastDate,
                true,
            )),
            on_certificate(field(
                "marriage_place",
                w("Where the marriage took place", "ବିବାହ ସ୍ଥାନ", "विवाह का स्थान"),
                text(150),
                true,
            )),
            field(
                "evidence",
                w(
                    "Wedding invitation or photograph",
                    "ବିବାହ ନିମନ୍ତ୍ରଣ ପତ୍ର ବା ଫଟୋ",
                    "विवाह निमंत्रण पत्र या फ़ोटो",
                ),
                document("marriage_evidence"),
                true,
            ),
            name_field(
                "witness_1",
                w("First witness's name", "ପ୍ରଥମ ସାକ୍ଷୀଙ୍କ ନାମ", "पहले गवाह का नाम"),
                true,
            ),
            name_field(
                "witness_2",
                w(
                    "Second witness's name",
                    "ଦ୍ୱିତୀୟ ସାକ୍ଷୀଙ୍କ ନାମ",
                    "दूसरे गवाह का नाम",
                ),
                true,
            ),
        ],
        fee: Fee {
            base: Paise(10_000),
            parts: Vec::new(),
        },
        working_days: 15,
        certificate: Some(Issues {
            kind: Kind::Marriage,
            valid_days: None,
        }),
    }
}

fn tenant_verification() -> Form {
    Form {
        fields: vec![
            on_certificate(name_field(
                "tenant_name",
                w("Tenant's name", "ଭଡ଼ାଟିଆଙ୍କ ନାମ", "किरायेदार का नाम"),
                true,
            )),
            field(
                "tenant_id",
                w(
                    "Tenant's Aadhaar card",
                    "ଭଡ଼ାଟିଆଙ୍କ ଆଧାର କାର୍ଡ",
                    "किरायेदार का आधार कार्ड",
                ),
                document("aadhaar"),
                true,
            ),
            field(
                "tenant_photo",
                w("Tenant's photograph", "ଭଡ଼ାଟିଆଙ୍କ ଫଟୋ", "किरायेदार की फ़ोटो"),
                document("photograph"),
                true,
            ),
            on_certificate(field(
                "occupation",
                w("Tenant's occupation", "ଭଡ଼ାଟିଆଙ୍କ ବୃତ୍ତି", "किरायेदार का व्यवसाय"),
                text(100),
                false,
            )),
            field(
                "rent_agreement",
                w("Rent agreement", "ଭଡ଼ା ଚୁକ୍ତିନାମା", "किराया अनुबंध"),
                document("rent_agreement"),
                true,
            ),
            on_certificate(field(
                "let_address",
                w(
                    "Address of the house let",
                    "ଭଡ଼ା ଦିଆଯାଇଥିବା ଘରର ଠିକଣା",
                    "किराए पर दिए घर का पता",
                ),
                FieldKind::Address,
                true,
            )),
        ],
        fee: Fee::default(),
        working_days: 10,
        certificate: Some(Issues {
            kind: Kind::Character,
            valid_days: Some(180),
        }),
    }
}

fn water_connection() -> Form {
    Form {
        fields: vec![
            field(
                "use",
                w("Connection for", "ସଂଯୋଗ କେଉଁଥିପାଇଁ", "कनेक्शन किसके लिए"),
                choice(&[
                    ("domestic", w("A home", "ଘର", "घर")),
                    (
                        "commercial",
                        w("A shop or business", "ଦୋକାନ ବା ବ୍ୟବସାୟ", "दुकान या व्यवसाय"),
                    ),
                ]),
                true,
            ),
            field(
                "holding_number",
                w("Holding number", "ହୋଲ୍ଡିଂ ନମ୍ବର", "होल्डिंग नंबर"),
                text(30),
                true,
            ),
            field(
                "storeys",
                w("Storeys in the building", "କୋଠାର ମହଲା ସଂଖ୍ୟା", "इमारत की मंज़िलें"),
                FieldKind::Number { min: 1, max: 20 },
                true,
            ),
            field(
                "ownership",
                w("Proof of ownership", "ମାଲିକାନା ପ୍ରମାଣ", "स्वामित्व का प्रमाण"),
                document("property_document"),
                true,
            ),
            when(
                field(
                    "trade_licence",
                    w("Trade licence", "ବ୍ୟବସାୟ ଲାଇସେନ୍ସ", "व्यापार लाइसेंस"),
                    document("trade_licence"),
                    true,
                ),
                "use",
                &["commercial"],
            ),
            field(
                "address",
                w("Address of the building", "କୋଠାର ଠିକଣା", "इमारत का पता"),
                FieldKind::Address,
                true,
            ),
        ],
        fee: Fee {
            base: Paise(0),
            parts: vec![
                FeePart::Choice {
                    field: "use".into(),
                    amounts: [
                        ("domestic".to_string(), Paise(100_000)),
                        ("commercial".to_string(), Paise(500_000)),
                    ]
                    .into(),
                },
                FeePart::PerUnit {
                    field: "storeys".into(),
                    per_unit: Paise(50_000),
                    free: 1,
                },
            ],
        },
        working_days: 15,
        certificate: None,
    }
}

/// The demo forms by service slug.
pub fn demo_forms() -> Vec<(&'static str, Form)> {
    vec![
        ("birth-certificate", birth_certificate()),
        ("trade-licence-new", trade_licence()),
        ("marriage-registration", marriage_registration()),
        ("tenant-verification", tenant_verification()),
        ("water-new-connection", water_connection()),
    ]
}

/// Gives each demo service its form, unless it has one.
pub(super) async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    for (slug, form) in demo_forms() {
        let Some(service) =
            sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM services WHERE slug = $1")
                .bind(slug)
                .fetch_optional(pool)
                .await?
        else {
            anyhow::bail!("the demo service {slug} is missing");
        };
        if domain::applications::store::current_form(pool, service.into())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .is_none()
        {
            domain::applications::store::save_form(pool, service.into(), &form, None)
                .await
                .map_err(|e| anyhow::anyhow!("the demo form of {slug}: {e:?}"))?;
        }
    }
    Ok(())
}
