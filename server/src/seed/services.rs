//! The demo services: Bhubaneswar's own (BMC, BDA, Mo Bus, Smart City) and the agencies' that
//! Nagarik hands off to, each with its department, category, fee, time to deliver, life events,
//! names in three languages and the English words search finds it by.

use domain::catalogue::{self, ApplyMode, ServiceForm, ServiceText};
use domain::Locale;
use sqlx::PgPool;

struct Svc {
    slug: &'static str,
    dept: &'static str,
    cat: &'static str,
    fee: i64,
    varies: bool,
    days: i32,
    handoff: Option<&'static str>,
    pop: i32,
    events: &'static [&'static str],
    en: &'static str,
    or: &'static str,
    hi: &'static str,
    summary: &'static str,
    eligibility: &'static str,
    documents: &'static str,
    keywords: &'static str,
}

macro_rules! svc {
    ($slug:literal, $dept:literal, $cat:literal, $fee:expr, $varies:expr, $days:expr, $handoff:expr, $pop:expr, $events:expr,
     $en:literal, $or:literal, $hi:literal, $summary:literal, $elig:literal, $docs:literal, $kw:literal) => {
        Svc {
            slug: $slug,
            dept: $dept,
            cat: $cat,
            fee: $fee,
            varies: $varies,
            days: $days,
            handoff: $handoff,
            pop: $pop,
            events: $events,
            en: $en,
            or: $or,
            hi: $hi,
            summary: $summary,
            eligibility: $elig,
            documents: $docs,
            keywords: $kw,
        }
    };
}

const SERVICES: &[Svc] = &[
    svc!("holding-tax-payment", "bmc", "bills-and-taxes", 0, true, 0, None, 950, &["moving-house"],
        "Holding tax payment", "ହୋଲ୍ଡିଂ ଟ୍ୟାକ୍ସ ପେମେଣ୍ଟ", "होल्डिंग टैक्स भुगतान",
        "Look up your holding (property) tax by holding number and pay it online.", "Owners and occupiers of a holding within BMC limits.", "Holding number\nLast receipt (if any)", "property tax house tax municipal tax gharkar ଘର କର गृह कर संपत्ति कर"),
    svc!("holding-tax-assessment", "bmc", "bills-and-taxes", 0, false, 30, None, 300, &["moving-house", "building-a-home"],
        "New holding tax assessment", "ନୂଆ ହୋଲ୍ଡିଂ ଟ୍ୟାକ୍ସ ଆକଳନ", "नया होल्डिंग टैक्स निर्धारण",
        "Get a new building assessed for holding tax and receive a holding number.", "Owners of a newly built or bought property.", "Sale deed or record of rights\nOccupancy certificate\nAadhaar card", "property tax registration mutation"),
    svc!("birth-certificate", "bmc", "certificates", 0, false, 7, None, 900, &["new-baby"],
        "Birth certificate", "ଜନ୍ମ ପ୍ରମାଣପତ୍ର", "जन्म प्रमाण पत्र",
        "Register a birth and download the birth certificate.", "Parents of a child born in Bhubaneswar, within 21 days free of charge.", "Hospital discharge slip\nParents' Aadhaar cards\nMarriage certificate (optional)", "janma praman patra baby birth registration ଜନ୍ମ जन्म"),
    svc!("death-certificate", "bmc", "certificates", 0, false, 7, None, 600, &["loss-in-the-family"],
        "Death certificate", "ମୃତ୍ୟୁ ପ୍ରମାଣପତ୍ର", "मृत्यु प्रमाण पत्र",
        "Register a death and download the death certificate.", "A relative of a person who died in Bhubaneswar.", "Hospital or crematorium slip\nAadhaar card of the deceased\nApplicant's Aadhaar card", "mrutyu death registration"),
    svc!("trade-licence-new", "bmc", "licences-and-permits", 100000, false, 15, None, 700, &["starting-a-shop"],
        "Trade licence (new)", "ଟ୍ରେଡ୍ ଲାଇସେନ୍ସ (ନୂଆ)", "व्यापार लाइसेंस (नया)",
        "Licence to run a shop, restaurant or other trade within BMC limits.", "Any person or firm starting a trade in BMC limits.", "Proof of premises (rent deed or holding tax receipt)\nAadhaar card\nPhotograph\nNOC from fire service (for some trades)", "shop licence business licence dukan vyapar ଦୋକାନ दुकान"),
    svc!("trade-licence-renewal", "bmc", "licences-and-permits", 50000, false, 7, None, 650, &["starting-a-shop"],
        "Trade licence renewal", "ଟ୍ରେଡ୍ ଲାଇସେନ୍ସ ନବୀକରଣ", "व्यापार लाइसेंस नवीनीकरण",
        "Renew your trade licence before it expires on 31 March.", "Holders of a BMC trade licence.", "Current trade licence number", "shop licence renew"),
    svc!("kalyan-mandap-booking", "bmc", "bookings", 1500000, false, 0, None, 800, &["getting-married"],
        "Kalyan mandap booking", "କଲ୍ୟାଣ ମଣ୍ଡପ ବୁକିଂ", "कल्याण मंडप बुकिंग",
        "Book a BMC community hall for a wedding or function, by date and slot.", "Anyone; residents of Bhubaneswar get priority on weekends.", "Aadhaar card\nPurpose of booking", "community hall marriage hall wedding venue"),
    svc!("marriage-registration", "bmc", "certificates", 10000, false, 15, None, 500, &["getting-married"],
        "Marriage registration", "ବିବାହ ପଞ୍ଜୀକରଣ", "विवाह पंजीकरण",
        "Register a marriage and get the marriage certificate.", "Couples married in Bhubaneswar or living here.", "Wedding invitation or photograph\nAadhaar cards of both\nTwo witnesses with ID", "marriage certificate wedding"),
    svc!("streetlight-complaint", "bmc", "complaints", 0, false, 2, None, 850, &[],
        "Streetlight not working", "ଷ୍ଟ୍ରିଟ୍ ଲାଇଟ୍ ଜଳୁନାହିଁ", "स्ट्रीट लाइट खराब",
        "Report a streetlight that is off, flickering or on during the day.", "Anyone.", "Location or pole number", "street light lamp dark road"),
    svc!("garbage-complaint", "bmc", "complaints", 0, false, 1, None, 880, &[],
        "Garbage not collected", "ଅଳିଆ ଉଠାଯାଇନାହିଁ", "कचरा नहीं उठाया गया",
        "Report garbage left uncollected or an overflowing bin.", "Anyone.", "Location\nPhoto (optional)", "waste trash dustbin sanitation kachra ଅଳିଆ कचरा"),
    svc!("drain-complaint", "bmc", "complaints", 0, false, 3, None, 600, &[],
        "Blocked drain", "ବନ୍ଦ ନାଳ", "बंद नाली",
        "Report a blocked or overflowing drain.", "Anyone.", "Location\nPhoto (optional)", "drainage sewer nala waterlogging"),
    svc!("stray-animal-complaint", "bmc", "complaints", 0, false, 3, None, 400, &[],
        "Stray animal", "ବୁଲା ଜନ୍ତୁ", "आवारा पशु",
        "Report stray cattle or dogs causing danger.", "Anyone.", "Location", "dog cow cattle"),
    svc!("park-entry", "bmc", "bookings", 1000, false, 0, None, 200, &[],
        "Park entry and events", "ପାର୍କ ପ୍ରବେଶ", "पार्क प्रवेश",
        "Entry tickets and event permissions for BMC parks.", "Anyone.", "", "garden"),
    svc!("signboard-permission", "bmc", "licences-and-permits", 200000, true, 10, None, 350, &["starting-a-shop"],
        "Signboard and advertisement permission", "ସାଇନବୋର୍ଡ ଓ ବିଜ୍ଞାପନ ଅନୁମତି", "साइनबोर्ड और विज्ञापन अनुमति",
        "Permission to put up a shop signboard, hoarding or banner.", "Shop owners and advertisers in BMC limits.", "Trade licence\nSketch and size of the board\nOwner's consent for the wall or roof", "hoarding banner board advertisement"),
    svc!("water-tanker-request", "bmc", "utilities", 50000, false, 1, None, 300, &[],
        "Water tanker request", "ଜଳ ଟ୍ୟାଙ୍କର ଅନୁରୋଧ", "पानी टैंकर अनुरोध",
        "Ask for a drinking water tanker during a shortage or for a function.", "Residents of Bhubaneswar.", "Address and landmark\nDate needed", "tanker drinking water supply shortage"),
    svc!("building-plan-approval", "bda", "buildings-and-land", 0, true, 30, None, 550, &["building-a-home"],
        "Building plan approval", "ଗୃହ ନକ୍ସା ଅନୁମୋଦନ", "भवन नक्शा अनुमोदन",
        "Get approval of a building plan before construction.", "Owners of land within the BDA planning area.", "Record of rights\nBuilding plan by a registered architect\nStructural stability certificate", "house plan naksha construction permission"),
    svc!("occupancy-certificate", "bda", "buildings-and-land", 0, true, 30, None, 350, &["building-a-home"],
        "Occupancy certificate", "ଅକ୍ୟୁପାନ୍ସି ସାର୍ଟିଫିକେଟ୍", "अधिभोग प्रमाण पत्र",
        "Certificate that a completed building follows its approved plan and may be occupied.", "Owners of a building completed with an approved plan.", "Approved plan\nCompletion certificate by architect\nPhotographs", "completion certificate OC"),
    svc!("land-use-certificate", "bda", "buildings-and-land", 50000, false, 15, None, 250, &["building-a-home", "starting-a-shop"],
        "Land use certificate", "ଜମି ବ୍ୟବହାର ପ୍ରମାଣପତ୍ର", "भूमि उपयोग प्रमाण पत्र",
        "Certificate of the permitted use of a plot under the master plan.", "Anyone with a plot in the BDA area.", "Plot number and khata number\nRecord of rights", "zoning master plan"),
    svc!("bda-auditorium-booking", "bda", "bookings", 2500000, false, 0, None, 300, &["getting-married"],
        "BDA auditorium booking", "BDA ପ୍ରେକ୍ଷାଳୟ ବୁକିଂ", "BDA सभागार बुकिंग",
        "Book Rabindra Mandap or another BDA auditorium for an event.", "Anyone.", "Aadhaar card\nEvent details", "hall theatre venue"),
    svc!("bda-park-booking", "bda", "bookings", 300000, false, 0, None, 220, &["getting-married"],
        "BDA park booking for events", "BDA ପାର୍କ ବୁକିଂ", "BDA पार्क बुकिंग",
        "Book a BDA park such as Ekamra Kanan or Buddha Jayanti Park for a function or shoot.", "Anyone.", "Aadhaar card\nEvent details", "garden venue photo shoot function"),
    svc!("mo-bus-student-pass", "crut", "transport", 20000, false, 3, None, 700, &[],
        "Mo Bus student pass", "ମୋ ବସ୍ ଛାତ୍ର ପାସ୍", "मो बस छात्र पास",
        "Monthly concession pass on Mo Bus for students.", "Students of recognised schools and colleges.", "Student ID card\nPhotograph", "bus pass concession student"),
    svc!("mo-bus-senior-pass", "crut", "transport", 10000, false, 3, None, 450, &["turning-sixty"],
        "Mo Bus senior citizen pass", "ମୋ ବସ୍ ବରିଷ୍ଠ ନାଗରିକ ପାସ୍", "मो बस वरिष्ठ नागरिक पास",
        "Concession pass on Mo Bus for citizens aged 60 and above.", "Citizens aged 60 or more.", "Proof of age\nPhotograph", "bus pass old age elderly"),
    svc!("mo-bus-routes", "crut", "transport", 0, false, 0, None, 500, &["moving-house"],
        "Mo Bus routes and timings", "ମୋ ବସ୍ ମାର୍ଗ ଓ ସମୟ", "मो बस मार्ग और समय",
        "Find Mo Bus routes, stops and timings.", "Anyone.", "", "bus route timetable"),
    svc!("mo-cycle", "crut", "transport", 0, true, 0, None, 300, &[],
        "Mo Cycle membership", "ମୋ ସାଇକେଲ୍ ସଦସ୍ୟତା", "मो साइकिल सदस्यता",
        "Join the public bicycle sharing scheme.", "Anyone with a mobile number.", "Aadhaar card", "bicycle share cycle"),
    svc!("lost-and-found-bus", "crut", "transport", 0, false, 2, None, 200, &[],
        "Lost and found on Mo Bus", "ମୋ ବସ୍‌ରେ ହଜିଲା ଜିନିଷ", "मो बस में खोया सामान",
        "Report something lost on a Mo Bus or claim something found.", "Anyone.", "Bus number and date", "lost item"),
    svc!("smart-parking", "bscl", "transport", 0, true, 0, None, 400, &[],
        "Smart parking", "ସ୍ମାର୍ଟ ପାର୍କିଂ", "स्मार्ट पार्किंग",
        "Find and pay for parking at smart parking lots.", "Anyone.", "Vehicle number", "car park vehicle parking"),
    svc!("public-wifi", "bscl", "utilities", 0, false, 0, None, 250, &[],
        "Public Wi-Fi", "ସର୍ବସାଧାରଣ ୱାଇ-ଫାଇ", "सार्वजनिक वाई-फाई",
        "Sign up for free public Wi-Fi hotspots in the city.", "Anyone with a mobile number.", "", "internet hotspot"),
    svc!("tenant-verification", "police", "police-and-safety", 0, false, 10, Some("https://citizenportal.odishapolice.gov.in/"), 500, &["moving-house"],
        "Tenant verification", "ଭଡ଼ାଟିଆ ଯାଞ୍ଚ", "किरायेदार सत्यापन",
        "Police verification of a tenant before letting a house.", "House owners letting to a tenant.", "Tenant's Aadhaar card\nRent agreement\nPhotograph of tenant", "police verification renter kirayedar"),
    svc!("employee-verification", "police", "police-and-safety", 0, false, 10, Some("https://citizenportal.odishapolice.gov.in/"), 300, &["starting-a-shop"],
        "Employee and domestic help verification", "କର୍ମଚାରୀ ଯାଞ୍ଚ", "कर्मचारी सत्यापन",
        "Police verification of an employee, driver or domestic help.", "Employers.", "Employee's Aadhaar card\nPhotograph", "servant maid driver"),
    svc!("character-certificate", "police", "certificates", 0, false, 15, Some("https://citizenportal.odishapolice.gov.in/"), 400, &[],
        "Character certificate", "ଚରିତ୍ର ପ୍ରମାଣପତ୍ର", "चरित्र प्रमाण पत्र",
        "Police clearance certificate for jobs and studies.", "Residents of Odisha.", "Aadhaar card\nPhotograph\nProof of address", "police clearance PCC conduct"),
    svc!("lost-article-report", "police", "police-and-safety", 0, false, 0, Some("https://citizenportal.odishapolice.gov.in/"), 450, &[],
        "Lost article report", "ହଜିଲା ଜିନିଷ ରିପୋର୍ଟ", "खोई वस्तु की रिपोर्ट",
        "Report a lost phone, document or other article and get a report number.", "Anyone.", "Description of the article\nID proof", "lost phone lost document"),
    svc!("event-permission", "police", "licences-and-permits", 0, false, 7, Some("https://citizenportal.odishapolice.gov.in/"), 200, &["getting-married"],
        "Permission for an event or procession", "କାର୍ଯ୍ୟକ୍ରମ ଅନୁମତି", "कार्यक्रम की अनुमति",
        "Police permission for a public event, procession or loudspeaker.", "Organisers of public events.", "Event details\nID proof of organiser", "loudspeaker rally procession"),
    svc!("electricity-bill-payment", "tpcodl", "utilities", 0, true, 0, None, 1000, &["moving-house"],
        "Electricity bill payment", "ବିଦ୍ୟୁତ ବିଲ୍ ପେମେଣ୍ଟ", "बिजली बिल भुगतान",
        "Look up your TPCODL electricity bill by consumer number and pay it.", "TPCODL consumers.", "Consumer number", "power bill current bill ବିଦ୍ୟୁତ ବିଜୁଳି बिजली"),
    svc!("electricity-new-connection", "tpcodl", "utilities", 0, true, 15, None, 450, &["moving-house", "building-a-home", "starting-a-shop"],
        "New electricity connection", "ନୂଆ ବିଦ୍ୟୁତ ସଂଯୋଗ", "नया बिजली कनेक्शन",
        "Apply for a new domestic or commercial electricity connection.", "Owners or occupiers of premises.", "Proof of ownership or rent deed\nAadhaar card\nPhotograph", "power connection meter"),
    svc!("power-outage-complaint", "tpcodl", "complaints", 0, false, 1, None, 700, &[],
        "Power outage complaint", "ବିଦ୍ୟୁତ ବିଭ୍ରାଟ ଅଭିଯୋଗ", "बिजली कटौती की शिकायत",
        "Report a power cut, sparking wire or damaged pole.", "Anyone.", "Consumer number or location", "no power current gone blackout"),
    svc!("water-bill-payment", "watco", "utilities", 0, true, 0, None, 980, &["moving-house"],
        "Water bill payment", "ଜଳ ବିଲ୍ ପେମେଣ୍ଟ", "पानी का बिल भुगतान",
        "Look up your WATCO water bill by consumer number and pay it.", "WATCO consumers.", "Consumer number", "water tax paani ପାଣି पानी जल"),
    svc!("water-new-connection", "watco", "utilities", 0, true, 15, None, 420, &["moving-house", "building-a-home"],
        "New water connection", "ନୂଆ ଜଳ ସଂଯୋଗ", "नया पानी कनेक्शन",
        "Apply for a new drinking water connection.", "Owners or occupiers of premises.", "Holding tax receipt\nAadhaar card", "tap connection drinking water"),
    svc!("sewerage-connection", "watco", "utilities", 0, true, 15, None, 250, &["building-a-home"],
        "Sewerage connection", "ସ୍ୱରେଜ୍ ସଂଯୋଗ", "सीवरेज कनेक्शन",
        "Apply to connect your premises to the city sewer.", "Owners of premises on a sewered road.", "Holding tax receipt\nBuilding plan", "sewer drainage toilet"),
    svc!("driving-licence-renewal", "rto", "transport", 40000, false, 30, Some("https://parivahan.gov.in/"), 500, &["turning-sixty"],
        "Driving licence renewal", "ଡ୍ରାଇଭିଂ ଲାଇସେନ୍ସ ନବୀକରଣ", "ड्राइविंग लाइसेंस नवीनीकरण",
        "Renew a driving licence that has expired or is about to.", "Holders of a driving licence.", "Current licence\nMedical certificate (over 40)\nPhotograph", "DL renew licence"),
    svc!("vehicle-ownership-transfer", "rto", "transport", 30000, false, 30, Some("https://parivahan.gov.in/"), 350, &[],
        "Transfer of vehicle ownership", "ଗାଡ଼ି ମାଲିକାନା ହସ୍ତାନ୍ତର", "वाहन स्वामित्व हस्तांतरण",
        "Transfer a vehicle's registration to its new owner.", "Buyers and sellers of a registered vehicle.", "Registration certificate\nInsurance\nPollution certificate\nForm 29 and 30", "RC transfer car bike sale"),
    svc!("passport-guidance", "passport", "certificates", 150000, false, 30, Some("https://www.passportindia.gov.in/"), 450, &[],
        "Passport application guidance", "ପାସପୋର୍ଟ ଆବେଦନ ମାର୍ଗଦର୍ଶନ", "पासपोर्ट आवेदन मार्गदर्शन",
        "What to prepare before applying for a passport at Passport Seva Kendra Bhubaneswar.", "Indian citizens.", "Aadhaar card\nProof of date of birth\nProof of address", "passport seva PSK"),
];

/// Saves every demo service through the catalogue's own command, which also refreshes its search
/// text. The departments must be seeded first.
pub(super) async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    for s in SERVICES {
        let department_id = domain::departments::store::id_by_code(pool, s.dept)
            .await?
            .expect("seeded department");
        let text = |locale, name: &str, english: bool| ServiceText {
            locale,
            name: name.to_string(),
            summary: if english {
                s.summary.to_string()
            } else {
                String::new()
            },
            eligibility: if english {
                s.eligibility.to_string()
            } else {
                String::new()
            },
            documents: if english {
                s.documents.to_string()
            } else {
                String::new()
            },
            how_to_apply: String::new(),
            keywords: if english {
                s.keywords.to_string()
            } else {
                String::new()
            },
        };
        catalogue::save_service(
            pool,
            &ServiceForm {
                slug: s.slug.to_string(),
                department_id: department_id.into(),
                category_slug: s.cat.to_string(),
                fee_paise: s.fee,
                fee_varies: s.varies,
                days_to_deliver: s.days,
                apply_mode: if s.handoff.is_some() {
                    ApplyMode::Handoff
                } else {
                    ApplyMode::InApp
                },
                handoff_url: s.handoff.map(String::from),
                popularity: s.pop,
                published: true,
                life_events: s.events.iter().map(|e| e.to_string()).collect(),
                texts: vec![
                    text(Locale::En, s.en, true),
                    text(Locale::Or, s.or, false),
                    text(Locale::Hi, s.hi, false),
                ],
            },
            None,
        )
        .await?;
    }
    Ok(())
}
