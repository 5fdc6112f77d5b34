use super::*;

fn choice(keys: &[&str]) -> FieldKind {
    FieldKind::Choice {
        options: keys
            .iter()
            .map(|k| Choice {
                key: k.to_string(),
                label: Words::en(k),
            })
            .collect(),
    }
}

fn field(key: &str, kind: FieldKind, required: bool) -> Field {
    Field {
        key: key.into(),
        label: Words::en(key),
        help: Words::default(),
        kind,
        required,
        shown_when: None,
        on_certificate: false,
    }
}

/// A trade licence: the trade and the shop's area set the fee; a food trade asks for its
/// hygiene certificate, and a rented shop for the owner's consent.
fn trade_licence() -> Form {
    let mut food_certificate = field(
        "fssai",
        FieldKind::Document {
            document: "fssai_registration".into(),
        },
        true,
    );
    food_certificate.shown_when = Some(ShownWhen {
        field: "trade".into(),
        any_of: vec!["eatery".into(), "grocery".into()],
    });
    let mut consent = field(
        "owner_consent",
        FieldKind::Document {
            document: "owner_consent".into(),
        },
        true,
    );
    consent.shown_when = Some(ShownWhen {
        field: "rented".into(),
        any_of: vec!["yes".into()],
    });
    Form {
        fields: vec![
            field("business_name", FieldKind::Text { max_chars: 100 }, true),
            field("trade", choice(&["eatery", "grocery", "tailoring"]), true),
            field(
                "area_sq_m",
                FieldKind::Number {
                    min: 1,
                    max: 10_000,
                },
                true,
            ),
            field("started_on", FieldKind::PastDate, false),
            field("rented", FieldKind::YesNo, true),
            food_certificate,
            consent,
            field("address", FieldKind::Address, true),
        ],
        fee: Fee {
            base: Paise(50_000),
            parts: vec![
                FeePart::Choice {
                    field: "trade".into(),
                    amounts: [("eatery".to_string(), Paise(100_000))].into(),
                },
                FeePart::PerUnit {
                    field: "area_sq_m".into(),
                    per_unit: Paise(1_000),
                    free: 20,
                },
            ],
        },
        working_days: 15,
        certificate: None,
    }
}

const TODAY: Day = (2026, 11, 30);

fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn codes(r: Result<Checked, Vec<FieldError>>) -> Vec<(String, String)> {
    r.err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

#[test]
fn the_demo_form_is_well_made() {
    assert_eq!(trade_licence().problems(), vec![]);
}

#[test]
fn a_field_is_asked_only_when_an_earlier_answer_calls_for_it_and_a_changed_mind_keeps_nothing() {
    let form = trade_licence();
    let base = [
        ("business_name", " Maa Tarini Tiffin "),
        ("trade", "tailoring"),
        ("area_sq_m", "12"),
        ("rented", "no"),
        ("address", "Plot 4, Saheed Nagar"),
        // typed while "eatery" was chosen, then the trade was changed
        ("fssai", "doc-123"),
    ];
    let checked = form.check(&answers(&base), TODAY).unwrap();
    assert!(!checked.0.contains_key("fssai"));
    assert_eq!(checked.0["business_name"], "Maa Tarini Tiffin");
    // an eatery must attach it, a rented shop the owner's consent
    let mut eatery = answers(&base);
    eatery.insert("trade".into(), "eatery".into());
    eatery.insert("rented".into(), "yes".into());
    eatery.remove("fssai");
    assert_eq!(
        codes(form.check(&eatery, TODAY)),
        vec![
            ("fssai".into(), "err_answer_required".into()),
            ("owner_consent".into(), "err_answer_required".into())
        ]
    );
}

#[test]
fn each_wrong_answer_is_named_at_its_field() {
    let form = trade_licence();
    let bad = answers(&[
        ("business_name", &"x".repeat(101)),
        ("trade", "bakery"),
        ("area_sq_m", "twelve"),
        ("started_on", "2026-12-01"),
        ("rented", "maybe"),
    ]);
    assert_eq!(
        codes(form.check(&bad, TODAY)),
        vec![
            ("business_name".into(), "err_answer_too_long".into()),
            ("trade".into(), "err_answer_choose".into()),
            ("area_sq_m".into(), "err_answer_not_a_number".into()),
            ("started_on".into(), "err_answer_date_future".into()),
            ("rented".into(), "err_answer_choose".into()),
            ("address".into(), "err_answer_required".into()),
        ]
    );
    let mut range = answers(&[
        ("business_name", "Shop"),
        ("trade", "grocery"),
        ("area_sq_m", "0"),
        ("started_on", "2026-02-30"),
        ("rented", "no"),
        ("fssai", "doc 1"),
        ("address", "Here"),
    ]);
    assert_eq!(
        codes(form.check(&range, TODAY)),
        vec![
            ("area_sq_m".into(), "err_answer_out_of_range".into()),
            ("started_on".into(), "err_answer_not_a_date".into()),
            ("fssai".into(), "err_answer_document".into()),
        ]
    );
    range.insert("area_sq_m".into(), "30".into());
    range.insert("started_on".into(), "2024-02-29".into());
    range.insert("fssai".into(), "doc-1".into());
    assert!(form.check(&range, TODAY).is_ok());
}

#[test]
fn the_fee_follows_the_trade_and_the_area() {
    let form = trade_licence();
    let fee = |trade: &str, area: &str| {
        let mut a = answers(&[
            ("business_name", "Shop"),
            ("trade", trade),
            ("area_sq_m", area),
            ("rented", "no"),
            ("fssai", "doc-1"),
            ("address", "Here"),
        ]);
        if trade == "tailoring" {
            a.remove("fssai");
        }
        form.fee(&form.check(&a, TODAY).unwrap())
    };
    // ₹500 base; an eatery ₹1,000 more; ₹10 a square metre past the first 20
    assert_eq!(fee("tailoring", "15"), Paise(50_000));
    assert_eq!(fee("tailoring", "35"), Paise(65_000));
    assert_eq!(fee("eatery", "20"), Paise(150_000));
    assert_eq!(fee("grocery", "120"), Paise(150_000));
}

#[test]
fn a_badly_made_form_is_refused_with_each_mistake_named() {
    let mut form = trade_licence();
    form.working_days = 0;
    form.fields[2].key = "business_name".into();
    form.fields[3].kind = FieldKind::Number { min: 5, max: 1 };
    form.fields[1].kind = choice(&["only"]);
    // names a later field, and an option the choice does not have
    form.fields[0].shown_when = Some(ShownWhen {
        field: "rented".into(),
        any_of: vec!["yes".into()],
    });
    form.fields[5].shown_when = Some(ShownWhen {
        field: "trade".into(),
        any_of: vec!["bakery".into()],
    });
    form.fields[7].label = Words::en(" ");
    let problems: Vec<(String, String)> = form
        .problems()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect();
    assert_eq!(
        problems,
        vec![
            ("working_days".into(), "err_working_days_invalid".into()),
            ("field-1".into(), "err_field_condition_invalid".into()),
            ("field-2".into(), "err_field_options_invalid".into()),
            ("field-3".into(), "err_field_key_taken".into()),
            ("field-4".into(), "err_field_range_invalid".into()),
            ("field-6".into(), "err_field_condition_invalid".into()),
            ("field-8".into(), "err_field_label_required".into()),
            // the trade's amounts name an option the choice no longer has
            ("fee-1".into(), "err_fee_rule_invalid".into()),
            // the area's field was renamed away: its per-unit fee names nothing
            ("fee-2".into(), "err_fee_rule_invalid".into()),
        ]
    );
}

#[cfg(feature = "ssr")]
#[test]
fn a_form_is_kept_as_json_and_read_back_the_same() {
    let form = trade_licence();
    let json = serde_json::to_string(&form).unwrap();
    assert!(json.contains(r#""kind":"choice""#), "{json}");
    assert_eq!(serde_json::from_str::<Form>(&json).unwrap(), form);
}

#[test]
fn words_fall_back_to_english() {
    let w = Words {
        en: "Trade".into(),
        or: "ବ୍ୟବସାୟ".into(),
        hi: " ".into(),
    };
    assert_eq!(w.get(crate::Locale::Or), "ବ୍ୟବସାୟ");
    assert_eq!(w.get(crate::Locale::Hi), "Trade");
}

#[test]
fn dates_are_real_calendar_days() {
    assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
    assert_eq!(parse_date("2023-02-29"), None);
    assert_eq!(parse_date("1900-02-29"), None);
    assert_eq!(parse_date("2000-02-29"), Some((2000, 2, 29)));
    assert_eq!(parse_date("2026-13-01"), None);
    assert_eq!(parse_date("26-1-1"), None);
    assert_eq!(parse_date("2026-01-01T00:00"), None);
}
